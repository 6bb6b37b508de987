// Code mode's entry point for the gateway: `definition()` for tools/list and `execute()` for
// tools/call of execute_tool_script. Scripts run in worker threads (pool.ts), never on the
// gateway's event loop; every tool call a script makes goes back through the host.
import type { CodeModeConfig } from '../config/index.js';
import { channels, publish, type ScriptEvent } from '../observability/channels.js';
import { parseArguments } from './arguments.js';
import { callableTools, toolBindings } from './bindings.js';
import { CallBridge } from './calls.js';
import { codeModeTool } from './definition.js';
import type { CallToolResultJson, CodeModeHost, ToolDefinition } from './host.js';
import { SandboxPool } from './pool.js';
import { argumentError, scriptResult } from './result.js';
import { runScript, type Finished } from './script-run.js';

export interface ExecuteOptions {
  /** The client's cancellation of the execute_tool_script call: stops the script and its calls. */
  readonly signal?: AbortSignal;
}

export class CodeMode {
  readonly config: CodeModeConfig;
  readonly #pool: SandboxPool;

  constructor(config: CodeModeConfig) {
    this.config = config;
    this.#pool = new SandboxPool(config.workers);
  }

  /** execute_tool_script as this caller sees it; `tools` is the caller's tools/list. */
  definition(tools: readonly ToolDefinition[]): ToolDefinition {
    return codeModeTool(callableTools(tools), this.config);
  }

  /** Run a script; resolves with the tool result (an `isError` result when the script failed), never rejects. */
  async execute(args: unknown, host: CodeModeHost, options: ExecuteOptions = {}): Promise<CallToolResultJson> {
    const parsed = parseArguments(args);
    if (typeof parsed === 'string') return argumentError(parsed);
    const started = performance.now();
    const tools = callableTools(host.tools());
    const allowed = new Set(tools.map((t) => t.name));
    const bridge = (deadline: number): CallBridge => new CallBridge(host, allowed, this.config, deadline);
    const finished = await runScript(this.#pool, this.config, { args: parsed, tools: toolBindings(tools), bridge }, options.signal);
    this.#report(finished, performance.now() - started);
    return scriptResult(finished, this.config);
  }

  /** Start the sandbox workers now rather than on the first script. */
  warm(): Promise<void> {
    return this.#pool.warm();
  }

  /** Terminate the workers; scripts still waiting for one fail. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  /** One event per script on the gateway's script channel: never its text, data or result (they may hold secrets). */
  #report(finished: Finished, durationMs: number): void {
    const { outcome, calls } = finished;
    const limit = outcome.ok ? undefined : outcome.error.limit;
    publish<ScriptEvent>(channels.script, {
      outcome: outcome.ok ? 'ok' : limit === undefined ? 'error' : 'limit',
      ...(limit === undefined ? {} : { limit }),
      durationMs,
      calls: calls.length,
      failedCalls: calls.filter((c) => c.status !== 'ok').length,
    });
  }
}
