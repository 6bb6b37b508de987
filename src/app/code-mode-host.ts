// Code mode's host on the request chain: a script sees the tools its caller may list, and each
// tool call it makes is an inner call through the whole chain (ctx.calls), as the caller — so
// authorization, per-user credentials, health gates, rate limits, metrics, traces and audit
// apply to it exactly as to a call the client made, and name the real tool.
import {
  EXECUTE_TOOL_SCRIPT,
  type CallToolResultJson,
  type CodeModeHost,
  type InnerCallOptions,
  type ToolDefinition,
} from '../codemode/index.js';
import type { CallSink, JsonObject, Progress } from '../protocol/index.js';
import type { InnerCalls, RequestContext, RequestView, ResolvedCall } from '../routing/context.js';

/** The tools a caller's view lists, except execute_tool_script itself (a script does not start scripts). */
export function boundTools(view: RequestView): ToolDefinition[] {
  return view.catalog.tools.filter((t) => t['name'] !== EXECUTE_TOOL_SCRIPT) as unknown as ToolDefinition[];
}

export class ChainHost implements CodeModeHost {
  readonly #tools: readonly ToolDefinition[];
  readonly #call: ResolvedCall;
  readonly #calls: InnerCalls;
  readonly #progress = { count: 0 };

  constructor(call: ResolvedCall, calls: InnerCalls, tools: readonly ToolDefinition[]) {
    this.#call = call;
    this.#calls = calls;
    this.#tools = tools;
  }

  tools(): readonly ToolDefinition[] {
    return this.#tools;
  }

  async callTool(name: string, args: Record<string, unknown>, options: InnerCallOptions): Promise<CallToolResultJson> {
    const result = await this.#calls.callTool(name, args as JsonObject, this.#innerContext(name, options.signal));
    return result as unknown as CallToolResultJson;
  }

  /**
   * The caller's context, with the script's call as parent and a signal that ends with the call
   * (its codeMode.toolCallTimeout, the script's end, the client's cancellation): the connector
   * then cancels the request at its backend. The client's Mcp-Param-* headers and a 2026-07-28
   * retry's inputResponses belonged to execute_tool_script itself, not to the calls it makes.
   */
  #innerContext(tool: string, signal: AbortSignal): RequestContext {
    const { retry: _retry, mcpParams: _params, calls: _calls, ...ctx } = this.#call.ctx;
    const sink = scriptSink(ctx.sink, tool, this.#progress);
    return { ...ctx, signal: AbortSignal.any([ctx.signal, asCancellation(signal)]), sink, parent: this.#call };
  }
}

/**
 * The script's end or its per-call budget is the caller's decision, not the backend's failure:
 * as an AbortError the call is classified `cancelled` and does not count against the backend's
 * health (any other abort reason reads as a backend timeout and can take it out of service).
 */
function asCancellation(signal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => {
    const reason: unknown = signal.reason;
    const why = reason instanceof Error ? reason.message : String(reason);
    controller.abort(reason instanceof DOMException && reason.name === 'AbortError' ? reason : new DOMException(why, 'AbortError'));
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return controller.signal;
}

/**
 * Progress of inner calls reaches the client under its own token of the execute_tool_script call.
 * Several calls may report at once, each counting from its own zero, so the value sent is one
 * count that only grows (MCP requires progress to increase) and the message names the tool's own.
 */
function scriptSink(sink: CallSink, tool: string, sent: { count: number }): CallSink {
  const deliver = sink.progress;
  if (deliver === undefined) return sink;
  const progress = (p: Progress & JsonObject): void => {
    const own = p.total === undefined ? `${p.progress}` : `${p.progress}/${p.total}`;
    deliver({ progress: ++sent.count, message: `${tool}: ${p.message === undefined ? own : `${p.message} (${own})`}` });
  };
  return { sessionId: sink.sessionId, request: (r, s) => sink.request(r, s), notify: (n) => sink.notify(n), progress };
}
