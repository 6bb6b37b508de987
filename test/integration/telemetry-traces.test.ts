// OpenTelemetry traces through the front door: the client starts a trace (traceparent header or
// params._meta), the gateway exports a SERVER span under it and a CLIENT span per backend call to
// an OTLP/HTTP receiver, and the backend receives that CLIENT span's context in `_meta`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { FIXTURES, connectClient, freePort, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';
import { channels, type WarningEvent } from '../../src/observability/channels.js';
import { SHUTDOWN_FLUSH_MS } from '../../src/app/telemetry/tracing.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const SERVER = 2;
const CLIENT = 3;

test('a client-started trace runs through the gateway to the backend and to the collector', { timeout: 30_000 }, async () => {
  await using otlp = await startOtlpReceiver();
  const gw = await startGateway({
    name: 'trace-test',
    backends: [stdioBackend('meta', `${FIXTURES}/meta-echo.mjs`)],
    // Sampling 0: only traces whose (sampled) remote parent asks for it are kept.
    telemetry: {
      tracingEnabled: true,
      endpoint: otlp.url,
      samplingRate: '0',
      serviceName: 'vmcp-under-test',
      headers: { 'x-api-key': 'otlp-secret' },
      customAttributes: { 'deployment.environment': 'test' },
    },
  });
  const headerTrace = { traceId: hex(16), spanId: hex(8) };
  const metaTrace = { traceId: hex(16), spanId: hex(8) };
  const client = await connectClient(gw.url, { headers: { traceparent: `00-${headerTrace.traceId}-${headerTrace.spanId}-01` } });
  const [tool] = (await client.listTools()).tools;
  const viaHeader = JSON.parse(text(await client.callTool({ name: tool!.name, arguments: {} }))) as Record<string, string>;
  const viaMeta = JSON.parse(
    text(
      await client.callTool({ name: tool!.name, arguments: {}, _meta: { traceparent: `00-${metaTrace.traceId}-${metaTrace.spanId}-01` } }),
    ),
  ) as Record<string, string>;
  await client.close();
  await gw.close(); // flushes the span queue

  for (const [seen, started] of [
    [viaHeader, headerTrace],
    [viaMeta, metaTrace],
  ] as const) {
    const [, traceId, parentId, flags] = seen['traceparent']!.split('-');
    assert.equal(traceId, started.traceId, 'the backend continues the trace the client started');
    assert.equal(flags, '01');
    const spans = otlp.spans.filter((s) => s.traceId === started.traceId);
    const server = spans.find((s) => s.kind === SERVER && s.attributes['mcp.method.name'] === 'tools/call');
    const clientSpan = spans.find((s) => s.kind === CLIENT);
    assert.ok(server && clientSpan, `a server and a client span in ${JSON.stringify(spans.map((s) => s.name))}`);
    assert.equal(server.parentSpanId, started.spanId, "the server span's parent is the client's span");
    assert.equal(clientSpan.parentSpanId, server.spanId, 'the backend call is a child of the request');
    assert.equal(parentId, clientSpan.spanId, "the backend's parent is the gateway's backend-call span");
    assert.equal(server.name, `tools/call ${tool!.name}`);
    assert.equal(server.attributes['mcp.method.name'], 'tools/call');
    assert.equal(server.attributes['gen_ai.tool.name'], tool!.name);
    assert.equal(clientSpan.attributes['target.workload_name'], 'meta');
    assert.equal(clientSpan.attributes['gen_ai.tool.name'], 'meta');
    assert.equal(server.resource['service.name'], 'vmcp-under-test');
    assert.equal(server.resource['deployment.environment'], 'test');
  }
  // tools/list carried the header too (a SERVER span in that trace); nothing else was sampled (rate 0).
  assert.ok(otlp.spans.some((s) => s.traceId === headerTrace.traceId && s.name === 'tools/list'));
  assert.deepEqual(new Set(otlp.spans.map((s) => s.traceId)), new Set([headerTrace.traceId, metaTrace.traceId]));
  assert.equal(otlp.lastHeaders?.['x-api-key'], 'otlp-secret');
});

test('without a telemetry section nothing is traced and the backend sees no traceparent', { timeout: 30_000 }, async () => {
  await using gw = await startGateway({ name: 'no-trace', backends: [stdioBackend('meta', `${FIXTURES}/meta-echo.mjs`)] });
  await using client = await connectClient(gw.url);
  const [tool] = (await client.listTools()).tools;
  const seen = JSON.parse(text(await client.callTool({ name: tool!.name, arguments: {} }))) as Record<string, string>;
  assert.equal(seen['traceparent'], undefined);
});

test(
  'a collector that is down is reported while it lasts and costs a bounded shutdown, never a failed close',
  { timeout: 30_000 },
  async () => {
    const port = await freePort(); // nothing listens there
    const warnings: WarningEvent[] = [];
    const onWarning = (w: unknown) => warnings.push(w as WarningEvent);
    subscribe(channels.warning.name, onWarning);
    try {
      const gw = await startGateway({
        name: 'trace-down',
        backends: [stdioBackend('meta', `${FIXTURES}/meta-echo.mjs`)],
        telemetry: {
          tracingEnabled: true,
          endpoint: `http://user:pw@127.0.0.1:${port}`,
          samplingRate: '1',
          headers: { authorization: 'Bearer otlp-token' },
        },
      });
      const client = await connectClient(gw.url);
      const [tool] = (await client.listTools()).tools;
      await client.callTool({ name: tool!.name, arguments: {} }); // sampled: a span waits for export
      // While it runs, the failed exports are reported (OpenTelemetry alone would swallow them).
      const running = await waitFor(
        () => warnings.find((w) => w.source === 'telemetry' && /not reaching the collector/.test(w.message)),
        'a warning that spans are not exported',
        20_000,
      );
      assert.match(running.message, new RegExp(`collector http://127\\.0\\.0\\.1:${port}/v1/traces: .*; \\d+ span\\(s\\) dropped so far`));
      assert.ok(!/pw|otlp-token/.test(running.message), running.message);
      await client.callTool({ name: tool!.name, arguments: {} }); // one more span, queued at shutdown
      await client.close();
      const started = Date.now();
      await gw.close(); // resolves: a collector that is down is no reason for a failed shutdown
      const took = Date.now() - started;
      assert.ok(took < SHUTDOWN_FLUSH_MS + 2000, `shutdown took ${took} ms with the collector down`);
      const warning = warnings.find((w) => w.source === 'telemetry' && /at shutdown/.test(w.message));
      assert.ok(warning, JSON.stringify(warnings));
      assert.match(warning.message, new RegExp(`spans were dropped at shutdown: http://127\\.0\\.0\\.1:${port}/v1/traces`));
      assert.ok(!/pw|otlp-token/.test(warning.message), warning.message);
    } finally {
      unsubscribe(channels.warning.name, onWarning);
    }
  },
);
