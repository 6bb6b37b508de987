// One script from the gateway's side: wait for a sandbox (within the script's time), hand it the
// script, serve its tool calls, and stop it when its time is up or the caller cancels. A worker
// that does not stop within STOP_GRACE_MS (stuck in a native operation that never polls) is
// terminated, so a script can never hold a sandbox, or the caller, past its limit.
import type { CodeModeConfig } from '../config/index.js';
import type { ScriptArguments } from './arguments.js';
import type { CallBridge, CallLogEntry } from './calls.js';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES, STACK_LIMIT_BYTES, STOP_GRACE_MS } from './limits.js';
import { PoolLimitError, type Release, type SandboxPool } from './pool.js';
import type { FromMessage, RunOutcome, SandboxLimits, ScriptError, StopReason, ToolBinding } from './protocol.js';
import type { WorkerHandle } from './worker-handle.js';

export interface Finished {
  readonly outcome: RunOutcome;
  readonly calls: readonly CallLogEntry[];
  readonly logs: readonly string[];
  readonly droppedLogs: number;
}

export interface RunInput {
  readonly args: ScriptArguments;
  readonly tools: readonly ToolBinding[];
  /** The calls of this run, given the moment the script starts (its deadline). */
  readonly bridge: (deadline: number) => CallBridge;
}

let lastRunId = 0;

export function sandboxLimits(config: CodeModeConfig): SandboxLimits {
  return {
    stepLimit: config.stepLimit,
    memoryLimitBytes: config.memoryLimitBytes,
    stackLimitBytes: STACK_LIMIT_BYTES,
    parallelMaxConcurrency: config.parallelMaxConcurrency,
    maxToolCalls: config.maxToolCalls,
    maxPendingCalls: config.maxPendingCalls,
    maxResultBytes: config.maxResultBytes,
    maxLogLines: MAX_LOG_LINES,
    maxLogLineChars: MAX_LOG_LINE_CHARS,
  };
}

/**
 * Waiting for a sandbox and running in it are bounded separately, each by codeMode.scriptTimeout:
 * a worker's start-up (hundreds of milliseconds when cold) is not taken from the script's time.
 */
export async function runScript(pool: SandboxPool, config: CodeModeConfig, input: RunInput, signal?: AbortSignal): Promise<Finished> {
  const waiting = stopOn(signal, config.scriptTimeoutMs);
  let worker: WorkerHandle;
  try {
    worker = await pool.acquire(waiting.signal);
  } catch (err) {
    return { outcome: { ok: false, error: acquireError(err, waiting.signal) }, calls: [], logs: [], droppedLogs: 0 };
  } finally {
    waiting.dispose();
  }
  const running = stopOn(signal, config.scriptTimeoutMs);
  const bridge = input.bridge(Date.now() + config.scriptTimeoutMs);
  try {
    return await new Attempt(worker, pool, bridge, ++lastRunId).run(input, sandboxLimits(config), running.signal);
  } finally {
    running.dispose();
    bridge.end();
  }
}

/** A signal that aborts with 'scriptTimeout' after `ms`, or with 'cancelled' when the caller cancels. */
function stopOn(caller: AbortSignal | undefined, ms: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort('scriptTimeout' satisfies StopReason), ms);
  const onCancel = (): void => controller.abort('cancelled' satisfies StopReason);
  if (caller?.aborted === true) onCancel();
  caller?.addEventListener('abort', onCancel, { once: true });
  const dispose = (): void => {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onCancel);
  };
  return { signal: controller.signal, dispose };
}

function acquireError(err: unknown, stopped: AbortSignal): ScriptError {
  if (stopped.aborted && stopped.reason === 'scriptTimeout') return { message: 'sandboxWait', limit: 'sandboxWait' };
  if (stopped.aborted) return stopError(stopped.reason as StopReason);
  if (err instanceof PoolLimitError) return { message: 'sandboxQueue', limit: 'sandboxQueue' };
  return { message: err instanceof Error ? err.message : String(err) };
}

function stopError(reason: StopReason): ScriptError {
  return reason === 'scriptTimeout' ? { message: reason, limit: reason } : { message: 'the script was cancelled' };
}

class Attempt {
  readonly #worker: WorkerHandle;
  readonly #pool: SandboxPool;
  readonly #bridge: CallBridge;
  readonly #runId: number;
  #grace: NodeJS.Timeout | undefined;
  #settle: ((finished: Finished) => void) | undefined;
  #over = false;

  constructor(worker: WorkerHandle, pool: SandboxPool, bridge: CallBridge, runId: number) {
    this.#worker = worker;
    this.#pool = pool;
    this.#bridge = bridge;
    this.#runId = runId;
  }

  run(input: RunInput, limits: SandboxLimits, stopped: AbortSignal): Promise<Finished> {
    const done = new Promise<Finished>((resolve) => (this.#settle = resolve));
    this.#worker.attach(
      (message) => this.#onMessage(message),
      (reason) => this.#finish({ ok: false, error: { message: `the sandbox worker ended: ${reason}` } }, [], 0, 'broken'),
    );
    const { script, dataJson } = input.args;
    this.#worker.post({ type: 'run', runId: this.#runId, script, dataJson, tools: input.tools, limits });
    const onStop = (): void => this.#stop(stopped.reason as StopReason);
    if (stopped.aborted) onStop();
    else stopped.addEventListener('abort', onStop, { once: true });
    return done.finally(() => stopped.removeEventListener('abort', onStop));
  }

  #onMessage(message: FromMessage): void {
    if (this.#over || !('runId' in message) || message.runId !== this.#runId) return;
    if (message.type === 'done') {
      this.#finish(message.outcome, message.logs, message.droppedLogs, 'reusable');
      return;
    }
    void this.#bridge.call(message).then((json) => {
      if (!this.#over) this.#worker.post({ type: 'reply', runId: this.#runId, callId: message.callId, json });
    });
  }

  #stop(reason: StopReason): void {
    if (this.#over || this.#grace !== undefined) return;
    this.#worker.signalStop(this.#runId, reason);
    this.#grace = setTimeout(() => this.#finish({ ok: false, error: stopError(reason) }, [], 0, 'broken'), STOP_GRACE_MS);
  }

  #finish(outcome: RunOutcome, logs: readonly string[], droppedLogs: number, release: Release): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#grace);
    this.#bridge.end();
    this.#pool.release(this.#worker, release);
    this.#settle?.({ outcome, calls: this.#bridge.log, logs, droppedLogs });
  }
}
