// The tool calls of one script, on the gateway's side: each goes to the host with its own
// AbortSignal and deadline (codeMode.toolCallTimeout, or what is left of the script's time), is
// recorded in the call log, and is answered to the worker as JSON. When the script ends, calls
// still in flight are cancelled.
import type { CodeModeConfig } from '../config/index.js';
import type { CodeModeHost } from './host.js';
import { formatBytes, formatMs } from './limits.js';
import type { CallRequest, ToolReply } from './protocol.js';
import { replyOfError, replyOfResult, TOOL_CALL_FAILED, TOOL_CALL_TIMEOUT, TOOL_RESULT_TOO_LARGE } from './tool-value.js';

/** `cancelled`: still running when the script ended, and cancelled then. */
export type CallStatus = 'ok' | 'error' | 'cancelled';

export interface CallLogEntry {
  readonly tool: string;
  readonly status: CallStatus;
  readonly durationMs: number;
  readonly error?: string;
  readonly code?: string | number;
}

const MAX_LOGGED_ERROR_CHARS = 200;

class CallTimeout extends Error {}

export class CallBridge {
  readonly #host: CodeModeHost;
  readonly #allowed: ReadonlySet<string>;
  readonly #config: CodeModeConfig;
  readonly #deadline: number;
  readonly #inFlight = new Map<AbortController, { readonly tool: string; readonly started: number }>();
  readonly #log: CallLogEntry[] = [];
  #ended = false;

  constructor(host: CodeModeHost, allowed: ReadonlySet<string>, config: CodeModeConfig, deadline: number) {
    this.#host = host;
    this.#allowed = allowed;
    this.#config = config;
    this.#deadline = deadline;
  }

  get log(): readonly CallLogEntry[] {
    return this.#log;
  }

  /** Run one call; resolves with the reply's JSON (never rejects). */
  async call(request: CallRequest): Promise<string> {
    const refused = this.#refusal(request);
    if (refused !== undefined) return JSON.stringify(refused);
    const started = performance.now();
    let reply = await this.#forward(request);
    let json = JSON.stringify(reply);
    // A reply larger than the sandbox's whole heap cannot be taken in: refuse it here rather
    // than copy it to the worker to fail there.
    if (json.length > this.#config.memoryLimitBytes) {
      const message = `${request.name}: the result is larger than the sandbox's memory (${formatBytes(this.#config.memoryLimitBytes)}, codeMode.memoryLimit)`;
      reply = { ok: false, error: { message, code: TOOL_RESULT_TOO_LARGE } };
      json = JSON.stringify(reply);
    }
    this.#record(request.name, reply, performance.now() - started);
    return json;
  }

  /** The script is over: cancel what is still running and record nothing more. */
  end(): void {
    if (this.#ended) return;
    for (const [controller, { tool, started }] of this.#inFlight) {
      this.#log.push({ tool, status: 'cancelled', durationMs: rounded(performance.now() - started) });
      controller.abort(new Error('the script ended before this call finished'));
    }
    this.#ended = true;
  }

  /** The worker enforces these; checked again here so the host never depends on the sandbox. */
  #refusal(request: CallRequest): ToolReply | undefined {
    const refuse = (message: string): ToolReply => ({ ok: false, error: { message, code: TOOL_CALL_FAILED } });
    if (this.#ended) return refuse('the script has ended');
    if (!this.#allowed.has(request.name))
      return refuse(`no tool named "${request.name}" is available to this script (unknown, or not permitted for this caller)`);
    if (this.#log.length + this.#inFlight.size >= this.#config.maxToolCalls) return refuse('codeMode.maxToolCalls reached');
    if (this.#inFlight.size >= this.#config.parallelMaxConcurrency) return refuse('codeMode.parallelMaxConcurrency reached');
    return undefined;
  }

  async #forward(request: CallRequest): Promise<ToolReply> {
    const started = performance.now();
    const remaining = Math.max(0, this.#deadline - Date.now());
    const timeoutMs = Math.min(this.#config.toolCallTimeoutMs, remaining);
    const controller = new AbortController();
    // A call cut short by the script's own deadline ends with the script (scriptTimeout, and the
    // call is cancelled by end()); only codeMode.toolCallTimeout is a catchable per-call timeout.
    const timer = this.#config.toolCallTimeoutMs < remaining ? setTimeout(() => controller.abort(new CallTimeout()), timeoutMs) : undefined;
    this.#inFlight.set(controller, { tool: request.name, started });
    let reply: ToolReply;
    try {
      const args = JSON.parse(request.argsJson) as Record<string, unknown>;
      const aborted = new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason)),
      );
      const options = { signal: controller.signal, timeoutMs };
      reply = replyOfResult(await Promise.race([this.#host.callTool(request.name, args, options), aborted]));
    } catch (err) {
      reply = controller.signal.reason instanceof CallTimeout ? this.#timedOut(request.name, timeoutMs) : replyOfError(err);
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    }
    return reply;
  }

  #timedOut(tool: string, timeoutMs: number): ToolReply {
    return {
      ok: false,
      error: {
        message: `tool call timeout exceeded: ${tool} took longer than ${formatMs(timeoutMs)} (codeMode.toolCallTimeout)`,
        code: TOOL_CALL_TIMEOUT,
      },
    };
  }

  #record(tool: string, reply: ToolReply, durationMs: number): void {
    if (this.#ended) return;
    const duration = rounded(durationMs);
    if (reply.ok) {
      this.#log.push({ tool, status: 'ok', durationMs: duration });
      return;
    }
    const error = reply.error.message.slice(0, MAX_LOGGED_ERROR_CHARS);
    this.#log.push({ tool, status: 'error', durationMs: duration, error, code: reply.error.code });
  }
}

function rounded(ms: number): number {
  return Math.round(ms * 10) / 10;
}
