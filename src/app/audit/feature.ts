// `audit:` as a feature: an `outer` middleware (right after observe, before authorization, so a
// denied call is an event too) writes one event per call, client requests and inner calls alike;
// the edge's authentication refusals and composite workflows' progress arrive on channels, each
// event naming the gateway it came from (the channels are process-wide). Filtering follows ToolHive's
// ShouldAuditEvent: excludeEventTypes wins, an empty eventTypes means all.
import type { AuditConfig, AuditEventType } from '../../config/types.js';
import { channels, type AuthRefusedEvent, type WorkflowEvent } from '../../observability/channels.js';
import type { CallMiddleware } from '../../routing/context.js';
import type { Feature, FeatureDeps } from '../features.js';
import { callEvent, type CallEnd } from './call-event.js';
import { newEvent } from './event.js';
import { subscribePinAudit } from './pin-events.js';
import { AuditSink } from './sink.js';
import { workflowAuditEvent, workflowEventType } from './workflow-event.js';

export function auditFeature(deps: FeatureDeps): Feature | undefined {
  const config = deps.config.audit;
  if (!config) return undefined;
  const sink = new AuditSink(config.logFile);
  const wanted = filterOf(config);
  const onRefused = (message: unknown) => {
    const e = message as AuthRefusedEvent;
    if (e.origin === deps.config.server && wanted('http_request')) sink.write(refusalEvent(config, e));
  };
  const onWorkflow = (message: unknown) => {
    const e = message as WorkflowEvent;
    if (e.origin !== deps.events) return;
    const type = workflowEventType(e);
    if (type !== undefined && wanted(type)) sink.write(workflowAuditEvent(config, type, e));
  };
  channels.authRefused.subscribe(onRefused);
  channels.workflow.subscribe(onWorkflow);
  const offPins = subscribePinAudit(config, wanted, (event) => sink.write(event));
  return {
    name: 'audit',
    outer: [auditCalls(config, wanted, (event) => sink.write(event))],
    close: async () => {
      channels.authRefused.unsubscribe(onRefused);
      channels.workflow.unsubscribe(onWorkflow);
      offPins();
      await sink.close();
    },
  };
}

/** ToolHive's ShouldAuditEvent. */
export function filterOf(config: Pick<AuditConfig, 'eventTypes' | 'excludeEventTypes'>): (type: AuditEventType) => boolean {
  const include = new Set(config.eventTypes);
  const exclude = new Set(config.excludeEventTypes);
  return (type) => !exclude.has(type) && (include.size === 0 || include.has(type));
}

function auditCalls(config: AuditConfig, wanted: (type: AuditEventType) => boolean, write: (event: object) => void): CallMiddleware {
  return (next) => async (call) => {
    const started = performance.now();
    const done = (end: Omit<CallEnd, 'durationMs'>) => {
      const event = callEvent(config, call, { ...end, durationMs: performance.now() - started });
      if (wanted(event.type)) write(event);
    };
    try {
      const result = await next(call);
      done({ result });
      return result;
    } catch (error) {
      done({ error });
      throw error;
    }
  };
}

function refusalEvent(config: AuditConfig, e: AuthRefusedEvent) {
  return newEvent(config.component, {
    type: 'http_request',
    outcome: e.status === 401 || e.status === 403 ? 'denied' : e.status >= 500 ? 'error' : 'failure',
    source: { type: 'network', value: e.remoteAddress ?? 'unknown', ...(e.userAgent ? { extra: { user_agent: e.userAgent } } : {}) },
    subjects: { user: 'anonymous' },
    target: { type: 'endpoint', endpoint: e.path, method: e.httpMethod },
    extra: { transport: 'http', status: e.status, auth_error: e.error, reason: e.description.slice(0, 256) },
  });
}
