// Counts and times every call in the chain, from the `outer` slot (so denied and refused calls
// count too). A client request (no `ctx.parent`) feeds the toolhive_mcp_* series; every call to a
// backend — a client's own or an inner call of a composite tool or script — feeds the backend series.
import type { Catalog } from '../../aggregation/catalog.js';
import type { CallMiddleware, ResolvedCall } from '../../routing/context.js';
import { backendLabel, errorType, isToolError, methodLabel, toolLabel } from './labels.js';
import type { CallMetrics } from './metrics.js';

const TOOL_ERROR = 'tool_error';

export function callMetricsMiddleware(m: CallMetrics, catalog: () => Catalog): CallMiddleware {
  return (next) => async (call) => {
    const started = performance.now();
    try {
      const result = await next(call);
      record(m, catalog, call, (performance.now() - started) / 1000, isToolError(result) ? TOOL_ERROR : undefined);
      return result;
    } catch (err) {
      record(m, catalog, call, (performance.now() - started) / 1000, errorType(err));
      throw err;
    }
  };
}

function record(m: CallMetrics, catalog: () => Catalog, call: ResolvedCall, seconds: number, error: string | undefined): void {
  const method = methodLabel(call.method);
  const status = error === undefined ? 'success' : 'error';
  const tool = call.method === 'tools/call' ? toolLabel(call, catalog) : '';
  if (call.ctx.parent === undefined) {
    m.requests.inc({ mcp_method_name: method, status });
    m.requestDuration.observe({ mcp_method_name: method, status }, seconds);
    if (call.method === 'tools/call') m.toolCalls.inc({ gen_ai_tool_name: tool, status });
  }
  if (call.target.kind !== 'backend') return;
  const backend = backendLabel(call);
  m.backendRequests.inc({ target_workload_name: backend, mcp_method_name: method, gen_ai_tool_name: tool });
  m.backendDuration.observe({ target_workload_name: backend, mcp_method_name: method }, seconds);
  if (error !== undefined) m.backendErrors.inc({ target_workload_name: backend, mcp_method_name: method, error_type: error });
}
