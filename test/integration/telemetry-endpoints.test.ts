// Where /metrics is served: the gateway port by default (behind the Host guard, like /status), a
// port of its own with telemetry.prometheusPort, nowhere with metricsEnabled: false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { FIXTURES, startGateway, stdioBackend } from '../helpers/gateway.js';
import { freePort } from '../helpers/prometheus.js';

const backends = [stdioBackend('echo', `${FIXTURES}/echo.mjs`)];
const metricsOf = (gatewayUrl: string) => new URL('/metrics', gatewayUrl).toString();

/** A GET with a chosen Host header (fetch does not let a caller set Host). */
function get(url: string, host?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('default: /metrics on the gateway port, in the Prometheus text format, Host-guarded', { timeout: 30_000 }, async () => {
  await using gw = await startGateway({ name: 'm', backends });
  const res = await get(metricsOf(gw.url));
  assert.equal(res.status, 200);
  assert.match(res.type, /^text\/plain; version=0\.0\.4/);
  assert.match(res.body, /^toolhive_vmcp_backends_discovered 1$/m);
  assert.match(res.body, /^vmcp_backend_connection\{target_workload_name="echo",state="ready"\} 1$/m);
  assert.match(res.body, /^process_cpu_user_seconds_total /m);
  assert.equal((await get(metricsOf(gw.url), 'evil.example.com')).status, 403);
});

test('metricsEnabled: false serves no /metrics', { timeout: 30_000 }, async () => {
  await using gw = await startGateway({ name: 'm', backends, telemetry: { metricsEnabled: false } });
  assert.equal((await get(metricsOf(gw.url))).status, 404);
});

test('prometheusPort: a listener of its own, closed with the gateway', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const gw = await startGateway({ name: 'm', backends, telemetry: { prometheusPort: port, enablePrometheusMetricsPath: false } });
  const own = `http://127.0.0.1:${port}/metrics`;
  assert.match((await get(own)).body, /^toolhive_vmcp_backends_discovered 1$/m);
  assert.equal((await get(`http://127.0.0.1:${port}/other`)).status, 404);
  assert.equal((await get(metricsOf(gw.url))).status, 404, 'not on the gateway port');
  await gw.close();
  await assert.rejects(get(own));
});
