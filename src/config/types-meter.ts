// Runtime form of `audit:` and `rateLimiting:` (schema-audit.ts, schema-rate-limit.ts): every
// default filled in, durations in milliseconds, paths absolute.

/** ToolHive's audit event types (toolhive-core audit/mcp_events.go), the ones vmcp can emit. */
export const AUDIT_EVENT_TYPES = [
  'mcp_initialize',
  'mcp_tool_call',
  'mcp_tools_list',
  'mcp_resource_read',
  'mcp_resources_list',
  'mcp_prompt_get',
  'mcp_prompts_list',
  'mcp_notification',
  'mcp_ping',
  'mcp_logging',
  'mcp_completion',
  'mcp_roots_list_changed',
  'mcp_request',
  'http_request',
  'vmcp_workflow_started',
  'vmcp_workflow_completed',
  'vmcp_workflow_failed',
  'vmcp_workflow_timed_out',
  'vmcp_workflow_step_started',
  'vmcp_workflow_step_completed',
  'vmcp_workflow_step_failed',
  'vmcp_workflow_step_skipped',
  'vmcp_tool_pin_changed',
  'vmcp_tool_pin_approved',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Present only when the `audit:` section is present and not `enabled: false`. */
export interface AuditConfig {
  readonly component: string;
  /** Empty = every type. */
  readonly eventTypes: readonly AuditEventType[];
  /** Wins over eventTypes. */
  readonly excludeEventTypes: readonly AuditEventType[];
  readonly includeRequestData: boolean;
  readonly includeResponseData: boolean;
  readonly detectApplicationErrors: boolean;
  /** Request or response data larger than this (as JSON) is replaced by a note saying so. */
  readonly maxDataSizeBytes: number;
  /** Absolute; absent = stdout. */
  readonly logFile?: string;
}

export interface BucketConfig {
  readonly maxTokens: number;
  readonly refillPeriodMs: number;
}

export interface ToolRateLimit {
  /** The tool's advertised name (as tools/list shows it). */
  readonly name: string;
  readonly shared?: BucketConfig;
  readonly perUser?: BucketConfig;
}

/** Present only when the `rateLimiting:` section is present. */
export interface RateLimitConfig {
  readonly shared?: BucketConfig;
  readonly perUser?: BucketConfig;
  readonly tools: readonly ToolRateLimit[];
  /** Buckets kept in memory at once (per-user buckets are the ones that grow). */
  readonly maxBuckets: number;
}
