// Every call, client request or inner call alike, is published on a tracing channel (start, end,
// error with the same context object), so logs, metrics, traces and audit subscribe in app/ without
// the domain importing any telemetry SDK. With no subscriber it costs one property check.
import { callChannel, type CallTrace } from '../../observability/channels.js';
import type { CallMiddleware } from '../context.js';

export function observe(): CallMiddleware {
  return (next) => (call) => {
    if (!callChannel.hasSubscribers) return next(call);
    const context: CallTrace = { call, startedAt: performance.now() };
    return callChannel.tracePromise(() => next(call), context);
  };
}
