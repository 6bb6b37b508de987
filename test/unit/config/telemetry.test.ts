// `telemetry:` with ToolHive's keys: metrics on by default, traces only with tracingEnabled and
// an endpoint, host:port endpoints resolved like ToolHive's (insecure → http), header values secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import { tracesUrl } from '../../../src/config/normalize-telemetry.js';

const load = (telemetry?: unknown) =>
  loadConfigText(JSON.stringify({ name: 't', backends: [], ...(telemetry === undefined ? {} : { telemetry }) }), { env: { KEY: 'k1' } });

test('no telemetry section: metrics on the gateway port, no traces', () => {
  const t = load().config!.telemetry;
  assert.equal(t.metrics, 'gateway-port');
  assert.equal(t.tracing, undefined);
});

test('metricsEnabled false turns metrics off; prometheusPort adds a listener of its own', () => {
  assert.equal(load({ metricsEnabled: false }).config!.telemetry.metrics, 'off');
  assert.equal(load({ prometheusPort: 9464 }).config!.telemetry.metrics, 'both');
  assert.equal(load({ prometheusPort: 9464, enablePrometheusMetricsPath: false }).config!.telemetry.prometheusPort, 9464);
  assert.equal(load({ enablePrometheusMetricsPath: false }).config!.telemetry.metrics, 'off');
});

test('ToolHive tracing keys: string sampling rate, host:port endpoint, secret headers, attributes', () => {
  const t = load({
    endpoint: 'otel-collector:4318',
    tracingEnabled: true,
    samplingRate: '0.25',
    insecure: true,
    headers: { 'x-api-key': '${KEY}' },
    customAttributes: { team: 'platform' },
    serviceName: 'gw',
  }).config!.telemetry;
  assert.equal(t.tracing?.url, 'http://otel-collector:4318/v1/traces');
  assert.equal(t.tracing?.samplingRate, 0.25);
  assert.equal(t.tracing?.headers['x-api-key']?.reveal(), 'k1');
  assert.equal(JSON.stringify(t), JSON.stringify(t).replace('k1', ''), 'the header value never serializes');
  assert.deepEqual(t.customAttributes, { team: 'platform' });
});

test('endpoints: https unless insecure, a URL path kept, tracing without endpoint refused', () => {
  assert.equal(tracesUrl('collector:4318', false), 'https://collector:4318/v1/traces');
  assert.equal(tracesUrl('http://127.0.0.1:4318', false), 'http://127.0.0.1:4318/v1/traces');
  assert.equal(tracesUrl('https://otlp.example.com/otlp/v1/traces', false), 'https://otlp.example.com/otlp/v1/traces');
  const { issues } = load({ tracingEnabled: true });
  assert.ok(issues.some((i) => i.path.includes('endpoint') && /required/.test(i.message)));
  assert.ok(load({ samplingRate: 2 }).issues.some((i) => i.path.includes('samplingRate')));
});
