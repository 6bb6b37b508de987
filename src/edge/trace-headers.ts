// The client's W3C trace context headers (https://www.w3.org/TR/trace-context/), carried into the
// request context for tracing subscribers; bounded (the spec's sizes) and only when present.
import type { RequestContext } from '../routing/context.js';

/** traceparent is 55 characters in version 00; tracestate at most 32 members of ~256 (spec §3.3.1.1). */
const MAX_TRACEPARENT = 256;
const MAX_TRACESTATE = 8192;

export function traceContextOf(get: (name: string) => string | null | undefined): Pick<RequestContext, 'traceContext'> {
  const traceparent = get('traceparent');
  if (!traceparent || traceparent.length > MAX_TRACEPARENT) return {};
  const tracestate = get('tracestate');
  return { traceContext: tracestate && tracestate.length <= MAX_TRACESTATE ? { traceparent, tracestate } : { traceparent } };
}

/** For node's IncomingHttpHeaders (a repeated header is an array: not a valid trace context). */
export function nodeHeader(headers: Record<string, string | string[] | undefined>): (name: string) => string | undefined {
  return (name) => {
    const v = headers[name];
    return typeof v === 'string' ? v : undefined;
  };
}
