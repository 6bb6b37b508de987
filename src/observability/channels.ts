// Observability seam (house rule 13): domain code publishes on node:diagnostics_channel and never
// imports a logging SDK; the logger (and later metrics/tracing) subscribe in app/.
import diagnostics from 'node:diagnostics_channel';

export interface BackendStateEvent {
  backend: string;
  from: string;
  to: string;
  reason?: string;
  attempt?: number;
  retryInMs?: number;
}
export interface BackendHealthEvent {
  backend: string;
  from: string;
  to: string;
  circuit: string;
  reason?: string;
}
export interface BackendStderrEvent {
  backend: string;
  line: string;
}
export interface CatalogEvent {
  version: number;
  tools: number;
  prompts: number;
  resources: number;
  templates: number;
  changed: readonly string[];
  warnings: readonly string[];
}
export interface CallEvent {
  method: string;
  backend: string;
  name: string;
  durationMs: number;
  outcome: 'ok' | 'error';
  error?: string;
}
export interface SessionEvent {
  sessionId: string;
  event: 'created' | 'closed' | 'expired';
  era: 'legacy' | 'modern' | 'stdio';
}
export interface StatusEvent {
  phase: string;
  from?: string;
  message: string;
  routable: number;
  total: number;
  /** The phase changed (otherwise a periodic report). */
  changed: boolean;
}
export interface WarningEvent {
  source: string;
  message: string;
}

/**
 * The context object of one call on `callChannel` (the same object at start, end and error).
 * `call` is routing's ResolvedCall; subscribers in app/ know its shape, this leaf does not.
 */
export interface CallTrace {
  readonly call: object;
  readonly startedAt: number;
  result?: unknown;
  error?: unknown;
  /** Free slot for subscribers (a span, an audit record) keyed by subscriber. */
  [key: symbol]: unknown;
}

/** Every call through the request chain: client requests and inner calls alike (routing/middleware/observe.ts). */
export const callChannel = diagnostics.tracingChannel<CallTrace, CallTrace>('vmcp:call');

/** A composite workflow's progress (composite tools): for audit, metrics and logs. */
export interface WorkflowEvent {
  /**
   * The gateway that ran it (its GatewayEvents object): the channel is process-wide, so a
   * subscriber of one gateway tells its own runs apart when several gateways share a process.
   */
  readonly origin: object;
  workflow: string;
  /** One run's id (`.workflow.id` in templates). */
  workflowId: string;
  event: 'started' | 'completed' | 'failed' | 'step_started' | 'step_skipped' | 'step_failed' | 'step_completed' | 'step_retried';
  /** How a finished workflow ended. */
  status?: 'completed' | 'failed' | 'timed_out' | 'cancelled';
  step?: string;
  stepType?: 'tool' | 'elicitation' | 'forEach';
  /** The tool a tool step names. */
  tool?: string;
  /** started: the workflow's steps and its timeout. */
  stepCount?: number;
  timeoutMs?: number;
  /** A finished step's tries (1 when it was not retried). */
  attempts?: number;
  /** step_skipped: `condition` or `skip_remaining`. */
  reason?: string;
  /** step_failed under onError continue: the workflow went on. */
  continued?: boolean;
  durationMs?: number;
  /** Sanitized. */
  error?: string;
  sessionId?: string;
  /** Who called (user, user_id, client_name, …: the audit subjects); never a credential. */
  subjects?: Readonly<Record<string, string>>;
}

/** A tool-search meta-tool call (find_tool / call_tool). */
export interface OptimizerEvent {
  op: 'find_tool' | 'call_tool';
  outcome: 'ok' | 'error' | 'not_found';
  durationMs: number;
  /** find_tool: tools returned; token savings against the full list. */
  results?: number;
  savingsPercent?: number;
  /** call_tool: the real tool it called. */
  tool?: string;
}

/** One execute_tool_script run (code mode); never the script's text. */
export interface ScriptEvent {
  outcome: 'ok' | 'error' | 'limit';
  /** The limit that ended it. */
  limit?: string;
  durationMs: number;
  calls: number;
  failedCalls: number;
}

/**
 * The HTTP edge refused a request's credentials (401/403, or 503 when the identity provider is
 * unreachable). Never the credential itself. `origin` is the edge's own server config object, so
 * a subscriber of one gateway tells its edge's events apart when several gateways share a process.
 */
export interface AuthRefusedEvent {
  readonly origin: object;
  readonly status: number;
  /** RFC 6750 error code (invalid_token, insufficient_scope, invalid_request, temporarily_unavailable). */
  readonly error: string;
  readonly description: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** One rate-limit decision on a tools/call (metrics count them). */
export interface RateLimitEvent {
  readonly decision: 'allowed' | 'rejected' | 'error';
  /** The bucket that refused: shared, perUser, tool-shared or tool-perUser. */
  readonly scope?: string;
  readonly backend: string;
  readonly tool: string;
}

/** Tool pinning: a pinned tool changed, a change was approved, a backend was quarantined or released, or the held count changed. */
export interface PinEvent {
  readonly kind: 'changed' | 'approved' | 'quarantined' | 'released' | 'held';
  readonly backend?: string;
  /** The backend's own tool name. */
  readonly tool?: string;
  readonly policy: string;
  readonly pinnedHash?: string;
  readonly currentHash?: string;
  readonly reason?: string;
  /** kind held: tools held back from the lists now. */
  readonly held?: number;
  /** kind approved: who approved (principal subject, or "anonymous"). */
  readonly by?: string;
}

/** A request or connection refused (or closed) because it hit a configured bound. */
export interface RefusedEvent {
  /** The config key of the bound, e.g. `server.limits.maxSessions`. */
  limit: string;
}

export const channels = {
  backendState: diagnostics.channel('vmcp:backend:state'),
  backendStderr: diagnostics.channel('vmcp:backend:stderr'),
  backendHealth: diagnostics.channel('vmcp:backend:health'),
  catalog: diagnostics.channel('vmcp:catalog:rebuilt'),
  call: diagnostics.channel('vmcp:tool:call'),
  session: diagnostics.channel('vmcp:session'),
  warning: diagnostics.channel('vmcp:warning'),
  status: diagnostics.channel('vmcp:status'),
  workflow: diagnostics.channel('vmcp:workflow'),
  optimizer: diagnostics.channel('vmcp:optimizer'),
  script: diagnostics.channel('vmcp:codemode'),
  authRefused: diagnostics.channel('vmcp:auth:refused'),
  rateLimit: diagnostics.channel('vmcp:ratelimit'),
  refused: diagnostics.channel('vmcp:refused'),
  pin: diagnostics.channel('vmcp:pin'),
} as const;

export function publish<T extends object>(ch: diagnostics.Channel, event: T): void {
  if (ch.hasSubscribers) ch.publish(event);
}
