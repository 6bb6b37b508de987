// Health and status vocabulary, as in ToolHive's vMCP (pkg/vmcp/types.go, pkg/vmcp/health) after
// the "unauthenticated backends are routable" change (shared/seeds, ToolHive #4866).

/** A backend's health as the monitor sees it. */
export type HealthState = 'healthy' | 'degraded' | 'unhealthy' | 'unauthenticated' | 'unknown';

/** The CRD-style status string shown per backend. `unauthenticated` is NOT `unavailable`. */
export type StatusString = 'ready' | 'degraded' | 'unavailable' | 'unauthenticated' | 'unknown';

export type Phase = 'Pending' | 'Ready' | 'Degraded' | 'Failed';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Sanitized failure categories: status never shows raw errors. */
export type ErrorCategory =
  | 'Authentication failed'
  | 'Health check timed out'
  | 'Health check cancelled'
  | 'Backend unavailable'
  | 'Connection failed'
  | 'Health check failed';

/** Why a backend is unauthenticated: it needs each user's credentials (routable), or the config lacks them. */
export type AuthRequirement = 'per-user' | 'unconfigured';

export interface Summary {
  total: number;
  healthy: number;
  degraded: number;
  unhealthy: number;
  unknown: number;
  unauthenticated: number;
}

export interface Condition {
  type: 'Ready' | 'BackendsDiscovered' | 'BackendsDegraded';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The monitor's record of one backend (times are epoch milliseconds). */
export interface BackendHealth {
  name: string;
  state: HealthState;
  consecutiveFailures: number;
  lastCheck?: number;
  lastTransition?: number;
  lastError?: ErrorCategory;
  /** Duration of the last successful probe. */
  latencyMs?: number;
  circuit: CircuitState;
  circuitChangedAt?: number;
  /** When an open circuit lets the next trial through. */
  circuitRetryAt?: number;
  auth?: AuthRequirement;
}

/** One backend in GET /status (schema/vmcp-status.schema.json). */
export interface BackendStatus {
  name: string;
  health: HealthState;
  status: StatusString;
  transport: string;
  authType: string;
  /** ToolHive's name for authType. */
  auth_type: string;
  mcpRevision?: string;
  /** ToolHive's name for mcpRevision. */
  mcp_revision?: string;
  lastCheck?: string;
  consecutiveFailures: number;
  circuit: CircuitState;
  circuitLastChanged?: string;
  message: string;
  latencyMs?: number;
  tools: number;
  resources: number;
  prompts: number;
  reason?: string;
  discoveryErrors?: Partial<Record<'tools' | 'prompts' | 'resources' | 'templates', string>>;
  /** Tool pinning holds back every tool of this backend until its changes are approved. */
  quarantine?: { reason: string; since: string };
}

/** GET /status. */
export interface StatusReport {
  name: string;
  version: string;
  phase: Phase;
  message: string;
  /** True when at least one backend is routable (healthy or unauthenticated). */
  healthy: boolean;
  /** The number of routable backends. */
  backendCount: number;
  summary: Summary;
  conditions: Condition[];
  backends: BackendStatus[];
  /** Tools the gateway implements itself (composite tools, …), by provider; absent when none. */
  virtualTools?: Record<string, number>;
  timestamp: string;
  /** ToolHive's `group_ref`: the configured groupRef, "" without one. */
  group_ref: string;
}
