// Inner calls of a virtual tool (ctx.parent = the virtual call) through the telemetry middleware:
// their backend spans hang under the client request's span, each backend gets its own span's
// context in _meta, and the metrics count one client request but every backend call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Catalog } from '../../../../src/aggregation/catalog.js';
import { callMetricsMiddleware } from '../../../../src/app/telemetry/call-metrics.js';
import { callMetrics } from '../../../../src/app/telemetry/metrics.js';
import { traceMiddleware } from '../../../../src/app/telemetry/trace-middleware.js';
import type { JsonObject } from '../../../../src/protocol/index.js';
import { compose, type CallHandler, type RequestContext, type ResolvedCall } from '../../../../src/routing/context.js';

const KNOWN = new Set(['b_echo']);
const catalog = () => ({ tool: (name: string) => (KNOWN.has(name) ? {} : undefined) }) as unknown as Catalog;

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const registry = new Registry();
  const forwarded: JsonObject[] = [];
  let chain: CallHandler = async () => ({});
  const terminal: CallHandler = async (call) => {
    if (call.target.kind === 'virtual') return call.target.run(call);
    forwarded.push(call.params);
    return { content: [] };
  };
  chain = compose(traceMiddleware(provider.getTracer('test')), callMetricsMiddleware(callMetrics(registry), catalog))(terminal);
  return { exporter, registry, forwarded, chain: (c: ResolvedCall) => chain(c) };
}

const ctx = {
  session: { id: 's1', era: 'legacy', clientCapabilities: {}, subscriptions: new Set() },
  principal: { subject: 'anonymous' },
  signal: new AbortController().signal,
  sink: {},
} as unknown as RequestContext;

function backendCall(name: string, parent: ResolvedCall): ResolvedCall {
  return {
    method: 'tools/call',
    params: { name: 'echo', arguments: {} },
    target: { kind: 'backend', backend: 'b', entry: 'tool', name: 'echo', advertised: name },
    ctx: { ...parent.ctx, parent },
  };
}

test('inner calls: backend spans under the request span, one client request, every backend call counted', async () => {
  const { exporter, registry, forwarded, chain } = setup();
  const workflow: ResolvedCall = {
    method: 'tools/call',
    params: { name: 'flow' },
    ctx,
    target: {
      kind: 'virtual',
      provider: 'composite',
      name: 'flow',
      advertised: 'flow',
      definition: {},
      run: async (call) => {
        await chain(backendCall('b_echo', call));
        await chain(backendCall('b_gone', call)); // no longer in the catalog: bucketed
        return { content: [] };
      },
    },
  };
  await chain(workflow);
  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === 'tools/call flow');
  assert.ok(root);
  const children = spans.filter((s) => s.name === 'tools/call echo');
  assert.equal(children.length, 2);
  for (const [i, child] of children.entries()) {
    assert.equal(child.spanContext().traceId, root.spanContext().traceId);
    assert.equal(child.parentSpanContext?.spanId, root.spanContext().spanId);
    const meta = forwarded[i]!['_meta'] as { traceparent: string };
    assert.equal(meta.traceparent.split('-')[2], child.spanContext().spanId, 'the backend gets its own call span as parent');
  }
  const text = await registry.metrics();
  assert.match(text, /toolhive_mcp_requests_total\{mcp_method_name="tools\/call",status="success"\} 1\n/);
  assert.match(text, /toolhive_mcp_tool_calls_total\{gen_ai_tool_name="flow",status="success"\} 1\n/);
  assert.match(
    text,
    /toolhive_vmcp_backend_requests_total\{target_workload_name="b",mcp_method_name="tools\/call",gen_ai_tool_name="b_echo"\} 1\n/,
  );
  assert.match(
    text,
    /toolhive_vmcp_backend_requests_total\{target_workload_name="b",mcp_method_name="tools\/call",gen_ai_tool_name="_OTHER"\} 1\n/,
  );
});

test('a failing backend call is an error span with error.type and a counted backend error', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const registry = new Registry();
  const failing: CallHandler = async () => {
    throw Object.assign(new Error('boom'), { code: -32603 });
  };
  const chain = compose(traceMiddleware(provider.getTracer('test')), callMetricsMiddleware(callMetrics(registry), catalog))(failing);
  const call: ResolvedCall = { ...backendCall('b_echo', { ctx } as ResolvedCall), ctx };
  await assert.rejects(chain(call));
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 2);
  for (const s of spans) assert.equal(s.attributes['error.type'], '-32603');
  assert.match(
    await registry.metrics(),
    /toolhive_vmcp_backend_errors_total\{target_workload_name="b",mcp_method_name="tools\/call",error_type="-32603"\} 1\n/,
  );
});
