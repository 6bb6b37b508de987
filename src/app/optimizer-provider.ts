// The tool-search meta-tools as a VirtualProvider: find_tool ranks the caller's own view (what
// its tools/list would show without the optimizer: Cedar-filtered, with its per-user backends),
// call_tool makes an inner call through the whole chain, so the real tool is authorized, gated,
// rate-limited, audited and cancelled like a direct call, with progress and mid-call requests
// flowing to the same client request. Each run publishes one OptimizerEvent (metrics count them).
import type { JsonObject } from '../protocol/index.js';
import type { ResolvedCall, RequestView } from '../routing/context.js';
import type { VirtualProvider } from '../routing/view.js';
import { parseCallToolArgs } from '../search/call-tool.js';
import { findToolResult, parseFindToolArgs, toolError } from '../search/find-tool.js';
import { CALL_TOOL, FIND_TOOL, META_TOOL_NAMES, metaTools } from '../search/meta-tools.js';
import type { ToolSearch } from '../search/tool-search.js';
import type { ViewIndexes } from '../search/view-indexes.js';
import type { OptimizerConfig } from '../config/types.js';
import { ErrorCodes, isVmcpError } from '../errors/codes.js';
import { channels, publish, type OptimizerEvent } from '../observability/channels.js';

/** The provider name: what Cedar sees as the meta-tools' backend, and what audit records show. */
export const OPTIMIZER_PROVIDER = 'optimizer';

export interface OptimizerProviderDeps {
  readonly config: OptimizerConfig;
  readonly search: ToolSearch;
  readonly indexes: ViewIndexes;
  /** The caller's view before the optimizer replaced its tool list. */
  readonly undecorated: (view: RequestView) => RequestView;
}

export function optimizerProvider(deps: OptimizerProviderDeps): VirtualProvider {
  const definitions = metaTools(deps.config) as unknown as JsonObject[];
  return {
    name: OPTIMIZER_PROVIDER,
    tools: () => definitions,
    run: (call) => (call.target.kind === 'virtual' && call.target.name === CALL_TOOL ? callTool(call) : findTool(deps, call)),
  };
}

function argumentsOf(call: ResolvedCall): unknown {
  return call.params['arguments'] ?? {};
}

async function findTool(deps: OptimizerProviderDeps, call: ResolvedCall): Promise<JsonObject> {
  const started = performance.now();
  const parsed = parseFindToolArgs(argumentsOf(call));
  if (!parsed.ok) {
    done({ op: FIND_TOOL, outcome: 'error', durationMs: performance.now() - started });
    return toolError(parsed.message);
  }
  const view = deps.undecorated(await innerCalls(call).view(call.ctx));
  const index = deps.indexes.indexOf(view.catalog.tools);
  const out = await deps.search.findTool(parsed.value, { indexes: [index] }, call.ctx.signal);
  const { savings_percent } = out.token_metrics;
  done({
    op: FIND_TOOL,
    outcome: 'ok',
    durationMs: performance.now() - started,
    results: out.tools.length,
    savingsPercent: savings_percent,
  });
  return findToolResult(out) as unknown as JsonObject;
}

async function callTool(call: ResolvedCall): Promise<JsonObject> {
  const started = performance.now();
  const parsed = parseCallToolArgs(argumentsOf(call));
  const name = parsed.ok ? parsed.value.toolName : undefined;
  if (!parsed.ok || META_TOOL_NAMES.has(name!)) {
    done({ op: CALL_TOOL, outcome: 'error', durationMs: performance.now() - started });
    return toolError(parsed.ok ? `call_tool cannot call "${name}": call the real tool find_tool returned` : parsed.message);
  }
  try {
    const result = await innerCalls(call).callTool(name!, parsed.value.parameters as JsonObject, { ...call.ctx, parent: call });
    done({ op: CALL_TOOL, outcome: result['isError'] === true ? 'error' : 'ok', durationMs: performance.now() - started, tool: name! });
    return result;
  } catch (err) {
    const outcome = isVmcpError(err) && err.code === ErrorCodes.TOOL_NOT_FOUND ? 'not_found' : 'error';
    // An unknown name is the caller's text: not published, so a metrics label stays bounded.
    done({ op: CALL_TOOL, outcome, durationMs: performance.now() - started, ...(outcome === 'error' ? { tool: name! } : {}) });
    throw err;
  }
}

function innerCalls(call: ResolvedCall) {
  const calls = call.ctx.calls;
  // The dispatcher gives every virtual target its inner calls; without them nothing can be searched or called.
  if (calls === undefined) throw new Error('tool search ran without inner calls (not dispatched as a virtual tool)');
  return calls;
}

function done(event: OptimizerEvent): void {
  publish(channels.optimizer, event);
}
