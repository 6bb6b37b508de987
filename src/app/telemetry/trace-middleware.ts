// A span per client request (SERVER) and a child span per backend call (CLIENT), from the
// `outer` slot, with the OpenTelemetry MCP semantic-convention attributes
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/). Inner calls of a virtual tool (a
// composite step, call_tool, a script's call) carry `ctx.parent`, the virtual tool's own call,
// and hang under its span; a composite step's call names its step (`vmcp.workflow.step_id`).
// Arguments and results never go into a span.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { CallMiddleware, ResolvedCall } from '../../routing/context.js';
import { errorType, isToolError } from './labels.js';
import { incomingContext, withTraceMeta } from './trace-context.js';

export function traceMiddleware(tracer: Tracer): CallMiddleware {
  // The context of each virtual call in flight, for its inner calls (gone with the call object).
  const contexts = new WeakMap<ResolvedCall, Context>();
  return (next) => async (call) => {
    const spans: Span[] = [];
    const inner = call.ctx.parent !== undefined;
    let ctx = inner ? (contexts.get(call.ctx.parent!) ?? ROOT_CONTEXT) : incomingContext(call);
    if (!inner || call.target.kind === 'virtual') {
      const span = tracer.startSpan(
        spanName(call, 'advertised'),
        { kind: inner ? SpanKind.INTERNAL : SpanKind.SERVER, attributes: attributesOf(call, 'advertised') },
        ctx,
      );
      spans.push(span);
      ctx = trace.setSpan(ctx, span);
    }
    let forwarded = call;
    if (call.target.kind === 'backend') {
      const attributes = { ...attributesOf(call, 'name'), 'target.workload_name': call.target.backend };
      const span = tracer.startSpan(spanName(call, 'name'), { kind: SpanKind.CLIENT, attributes }, ctx);
      spans.push(span);
      ctx = trace.setSpan(ctx, span);
      forwarded = { ...call, params: withTraceMeta(call.params, ctx) };
    } else if (call.target.kind === 'virtual') contexts.set(call, ctx);
    try {
      const result = await next(forwarded);
      end(spans, isToolError(result) ? 'tool_error' : undefined);
      return result;
    } catch (err) {
      end(spans, errorType(err));
      throw err;
    }
  };
}

function end(spans: readonly Span[], error: string | undefined): void {
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i]!;
    if (error !== undefined) {
      span.setAttribute('error.type', error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/** `{mcp.method.name} {target}` (the tool or prompt name; resource URIs stay out of names: unbounded). */
function spanName(call: ResolvedCall, which: 'advertised' | 'name'): string {
  const name = entryName(call, which);
  return name !== undefined && (call.method === 'tools/call' || call.method === 'prompts/get') ? `${call.method} ${name}` : call.method;
}

function entryName(call: ResolvedCall, which: 'advertised' | 'name'): string | undefined {
  const t = call.target;
  return t.kind === 'local' ? undefined : which === 'advertised' || t.kind === 'virtual' ? t.advertised : t.name;
}

function attributesOf(call: ResolvedCall, which: 'advertised' | 'name'): Attributes {
  const a: Attributes = { 'mcp.method.name': call.method };
  const name = entryName(call, which);
  if (call.method === 'tools/call' && name !== undefined)
    Object.assign(a, { 'gen_ai.tool.name': name, 'gen_ai.operation.name': 'execute_tool' });
  if (call.method === 'prompts/get' && name !== undefined) a['gen_ai.prompt.name'] = name;
  if (call.method.startsWith('resources/') && typeof call.params['uri'] === 'string') a['mcp.resource.uri'] = call.params['uri'];
  if (call.ctx.session.era !== '2026-07-28') a['mcp.session.id'] = call.ctx.session.id;
  if (call.ctx.requestId !== undefined) a['jsonrpc.request.id'] = String(call.ctx.requestId);
  if (call.ctx.step !== undefined) a['vmcp.workflow.step_id'] = call.ctx.step;
  return a;
}
