// A composite workflow's progress → audit events in ToolHive's shape (pkg/audit/workflow_auditor.go):
// vmcp_workflow_* types, a `workflow` or `workflow_step` target keyed by workflow_id, workflow_name,
// step_id, step_type and tool_name, the caller's subjects, and duration_ms, step_count, timeout_ms
// and retry_count in metadata.extra. Beyond ToolHive: the run's status and (sanitized, bounded)
// error, and the session. The source is local, as in ToolHive: the gateway runs the steps.
import type { AuditConfig, AuditEventType } from '../../config/types.js';
import type { WorkflowEvent } from '../../observability/channels.js';
import { newEvent, type AuditEvent, type AuditOutcome } from './event.js';

const MAX_MESSAGE = 256;

/** The event's audit type; undefined for progress the audit log does not record (a retry). */
export function workflowEventType(e: WorkflowEvent): AuditEventType | undefined {
  switch (e.event) {
    case 'started':
      return 'vmcp_workflow_started';
    case 'completed':
      return 'vmcp_workflow_completed';
    case 'failed':
      return e.status === 'timed_out' ? 'vmcp_workflow_timed_out' : 'vmcp_workflow_failed';
    case 'step_started':
      return 'vmcp_workflow_step_started';
    case 'step_completed':
      return 'vmcp_workflow_step_completed';
    case 'step_failed':
      return 'vmcp_workflow_step_failed';
    case 'step_skipped':
      return 'vmcp_workflow_step_skipped';
    case 'step_retried':
      return undefined;
  }
}

export function workflowAuditEvent(config: AuditConfig, type: AuditEventType, e: WorkflowEvent): AuditEvent {
  const failed = e.event === 'failed' || e.event === 'step_failed';
  const outcome: AuditOutcome = failed ? 'failure' : 'success';
  return newEvent(config.component, {
    type,
    outcome,
    source: { type: 'local', value: 'vmcp-composer' },
    subjects: e.subjects ?? { user: 'anonymous' },
    target: targetOf(e),
    extra: extraOf(e),
  });
}

function targetOf(e: WorkflowEvent): Record<string, string> {
  const base = { workflow_id: e.workflowId, workflow_name: e.workflow };
  if (e.step === undefined) return { type: 'workflow', ...base };
  return {
    type: 'workflow_step',
    ...base,
    step_id: e.step,
    ...(e.stepType ? { step_type: e.stepType } : {}),
    ...(e.tool ? { tool_name: e.tool } : {}),
  };
}

function extraOf(e: WorkflowEvent): Record<string, unknown> {
  const status = e.status ?? STEP_STATUS[e.event];
  return {
    ...(status ? { status } : {}),
    ...(e.durationMs === undefined ? {} : { duration_ms: Math.round(e.durationMs) }),
    ...(e.stepCount === undefined ? {} : { step_count: e.stepCount }),
    ...(e.timeoutMs === undefined ? {} : { timeout_ms: e.timeoutMs }),
    ...(e.attempts === undefined ? {} : { retry_count: Math.max(0, e.attempts - 1) }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(e.continued ? { continued: true } : {}),
    ...(e.error === undefined ? {} : { error_message: e.error.slice(0, MAX_MESSAGE) }),
    ...(e.sessionId === undefined ? {} : { session_id: e.sessionId }),
  };
}

const STEP_STATUS: Partial<Record<WorkflowEvent['event'], string>> = {
  step_started: 'running',
  step_completed: 'completed',
  step_failed: 'failed',
  step_skipped: 'skipped',
};
