// GET /api/backends/health in ToolHive's shape (pkg/vmcp/server: BackendHealthResponse, whose
// health.Summary and health.State have no JSON tags, so their keys are Go field names and unset
// times are Go's zero time). Built from the same monitor records as /status.
import { summarize } from './summary.js';
import type { BackendHealth, CircuitState, HealthState } from './types.js';

/** Go's zero time.Time, as encoding/json writes it. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ToolhiveBackendState {
  Status: HealthState;
  ConsecutiveFailures: number;
  LastCheckTime: string;
  LastErrorCategory: string;
  LastTransitionTime: string;
  CircuitState: CircuitState;
  CircuitLastChanged: string;
  MCPRevision: string;
}

export interface BackendsHealthReport {
  monitoring_enabled: boolean;
  summary?: { Total: number; Healthy: number; Degraded: number; Unhealthy: number; Unknown: number; Unauthenticated: number };
  backends?: Record<string, ToolhiveBackendState>;
}

export interface BackendsHealthInput {
  /** True when at least one backend is probed periodically (ToolHive: healthCheckInterval > 0). */
  monitoring: boolean;
  backends: readonly { name: string; mcpRevision?: string }[];
  health: (name: string) => BackendHealth | undefined;
}

export function buildBackendsHealth(input: BackendsHealthInput): BackendsHealthReport {
  if (!input.monitoring) return { monitoring_enabled: false };
  const records = input.backends.map((b): BackendHealth => input.health(b.name) ?? unknown(b.name));
  const s = summarize(records);
  const backends: Record<string, ToolhiveBackendState> = {};
  input.backends.forEach((b, i) => {
    const h = records[i]!;
    backends[b.name] = {
      Status: h.state,
      ConsecutiveFailures: h.consecutiveFailures,
      LastCheckTime: time(h.lastCheck),
      LastErrorCategory: h.lastError ?? '',
      LastTransitionTime: time(h.lastTransition),
      CircuitState: h.circuit,
      CircuitLastChanged: time(h.circuitChangedAt),
      MCPRevision: b.mcpRevision ?? '',
    };
  });
  return {
    monitoring_enabled: true,
    summary: {
      Total: s.total,
      Healthy: s.healthy,
      Degraded: s.degraded,
      Unhealthy: s.unhealthy,
      Unknown: s.unknown,
      Unauthenticated: s.unauthenticated,
    },
    backends,
  };
}

function unknown(name: string): BackendHealth {
  return { name, state: 'unknown', consecutiveFailures: 0, circuit: 'closed' };
}

function time(ms: number | undefined): string {
  return ms === undefined ? GO_ZERO_TIME : new Date(ms).toISOString();
}
