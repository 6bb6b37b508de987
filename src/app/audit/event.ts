// ToolHive's audit event shape (pkg/audit/event.go AuditEvent, keys from toolhive-core
// audit/mcp_events.go), so its log pipelines and queries carry over: metadata{auditId, extra},
// type, loggedAt, source{type, value, extra}, outcome, subjects, component, target, data.
import { randomUUID } from 'node:crypto';
import type { AuditEventType } from '../../config/types.js';

export type AuditOutcome = 'success' | 'failure' | 'error' | 'denied' | 'application_error';

export interface AuditEvent {
  readonly metadata: { readonly auditId: string; readonly extra?: Readonly<Record<string, unknown>> };
  readonly type: AuditEventType;
  readonly loggedAt: string;
  readonly source: { readonly type: 'network' | 'local'; readonly value: string; readonly extra?: Readonly<Record<string, unknown>> };
  readonly outcome: AuditOutcome;
  readonly subjects: Readonly<Record<string, string>>;
  readonly component: string;
  readonly target?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** ToolHive's mapMCPMethodToEventType (pkg/audit/auditor.go); anything else is mcp_request. */
const TYPES: Readonly<Record<string, AuditEventType>> = {
  initialize: 'mcp_initialize',
  'tools/call': 'mcp_tool_call',
  'tools/list': 'mcp_tools_list',
  'resources/read': 'mcp_resource_read',
  'resources/list': 'mcp_resources_list',
  'prompts/get': 'mcp_prompt_get',
  'prompts/list': 'mcp_prompts_list',
  'notifications/message': 'mcp_notification',
  ping: 'mcp_ping',
  'logging/setLevel': 'mcp_logging',
  'completion/complete': 'mcp_completion',
  'notifications/roots/list_changed': 'mcp_roots_list_changed',
};

export function eventTypeOf(method: string): AuditEventType {
  return TYPES[method] ?? 'mcp_request';
}

export interface EventParts {
  readonly type: AuditEventType;
  readonly outcome: AuditOutcome;
  readonly source: AuditEvent['source'];
  readonly subjects: AuditEvent['subjects'];
  readonly target?: AuditEvent['target'];
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly data?: AuditEvent['data'];
}

export function newEvent(component: string, parts: EventParts, now = new Date()): AuditEvent {
  return {
    metadata: { auditId: randomUUID(), ...(parts.extra ? { extra: parts.extra } : {}) },
    type: parts.type,
    loggedAt: now.toISOString(),
    source: parts.source,
    outcome: parts.outcome,
    subjects: parts.subjects,
    component,
    ...(parts.target ? { target: parts.target } : {}),
    ...(parts.data ? { data: parts.data } : {}),
  };
}
