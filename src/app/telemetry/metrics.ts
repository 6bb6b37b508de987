// The Prometheus registry of one gateway (its own, not prom-client's global one: two gateways in a
// process never mix). ToolHive's metric names as its Prometheus exporter writes them (counters end
// in _total, histograms in _seconds), so its dashboards carry over, plus vmcp's own (vmcp_*).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Seconds. The low end resolves the gateway's own overhead (tens of microseconds to a millisecond
 * on loopback); the high end reaches the default backend request timeout (60s).
 */
export const DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export interface CallMetrics {
  readonly requests: Counter<'mcp_method_name' | 'status'>;
  readonly requestDuration: Histogram<'mcp_method_name' | 'status'>;
  readonly toolCalls: Counter<'gen_ai_tool_name' | 'status'>;
  readonly backendRequests: Counter<'target_workload_name' | 'mcp_method_name' | 'gen_ai_tool_name'>;
  readonly backendErrors: Counter<'target_workload_name' | 'mcp_method_name' | 'error_type'>;
  readonly backendDuration: Histogram<'target_workload_name' | 'mcp_method_name'>;
}

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event-loop lag, GC), collected once per process: prom-client
 * cannot stop their observers, so a registry of their own per gateway would leak one set per start.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function callMetrics(registry: Registry): CallMetrics {
  const registers = [registry];
  const buckets = [...DURATION_BUCKETS];
  return {
    requests: new Counter({
      name: 'toolhive_mcp_requests_total',
      help: 'Client requests served through the request chain, by method and status.',
      labelNames: ['mcp_method_name', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'toolhive_mcp_request_duration_seconds',
      help: 'Duration of client requests in seconds (the whole chain, backend included).',
      labelNames: ['mcp_method_name', 'status'] as const,
      buckets,
      registers,
    }),
    toolCalls: new Counter({
      name: 'toolhive_mcp_tool_calls_total',
      help: 'Client tools/call requests by advertised tool (tools outside the catalog are _OTHER).',
      labelNames: ['gen_ai_tool_name', 'status'] as const,
      registers,
    }),
    backendRequests: new Counter({
      name: 'toolhive_vmcp_backend_requests_total',
      help: 'Requests sent to each backend, inner calls of composite tools and scripts included.',
      labelNames: ['target_workload_name', 'mcp_method_name', 'gen_ai_tool_name'] as const,
      registers,
    }),
    backendErrors: new Counter({
      name: 'toolhive_vmcp_backend_errors_total',
      help: 'Backend requests that failed (error_type: vmcp code, JSON-RPC code or tool_error).',
      labelNames: ['target_workload_name', 'mcp_method_name', 'error_type'] as const,
      registers,
    }),
    backendDuration: new Histogram({
      name: 'toolhive_vmcp_backend_requests_duration_seconds',
      help: 'Duration of backend requests in seconds, per backend.',
      labelNames: ['target_workload_name', 'mcp_method_name'] as const,
      buckets,
      registers,
    }),
  };
}
