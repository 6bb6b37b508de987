// W3C Trace Context (https://www.w3.org/TR/trace-context/) in and out: a client's `traceparent`
// comes in `params._meta` (the MCP convention, which wins) or as the HTTP header; a backend gets
// the gateway's span in `params._meta` (traceparent, tracestate), as the OpenTelemetry MCP
// semantic conventions propagate context (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/).
import { ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { JsonObject } from '../../protocol/index.js';
import type { ResolvedCall } from '../../routing/context.js';

const propagator = new W3CTraceContextPropagator();
type Carrier = Record<string, unknown>;

const getter: TextMapGetter<Carrier> = {
  keys: (c) => Object.keys(c),
  get: (c, key) => (typeof c[key] === 'string' ? (c[key] as string) : undefined),
};
const setter: TextMapSetter<Carrier> = { set: (c, key, value) => void (c[key] = value) };

/** The remote parent of a client request, or the root context when it sent none. */
export function incomingContext(call: ResolvedCall): Context {
  const meta = call.params['_meta'] as Carrier | undefined;
  if (meta && typeof meta['traceparent'] === 'string') return propagator.extract(ROOT_CONTEXT, meta, getter);
  const headers = call.ctx.traceContext;
  return headers?.traceparent ? propagator.extract(ROOT_CONTEXT, headers as Carrier, getter) : ROOT_CONTEXT;
}

/** The call's params with `_meta.traceparent`/`tracestate` of `ctx` (the client's own ones replaced). */
export function withTraceMeta(params: JsonObject, ctx: Context): JsonObject {
  const carrier: Carrier = {};
  propagator.inject(ctx, carrier, setter);
  if (carrier['traceparent'] === undefined) return params;
  const { tracestate: _oldState, traceparent: _oldParent, ...meta } = (params['_meta'] as Carrier | undefined) ?? {};
  return { ...params, _meta: { ...meta, ...carrier } };
}
