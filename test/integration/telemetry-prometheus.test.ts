// A real Prometheus scrapes the gateway's /metrics: after known calls, PromQL over its HTTP API
// returns the counts per tool and per backend, and a backend that died shows in the health gauge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, connectClient, descendants, startGateway, stdioBackend, waitFor } from '../helpers/gateway.js';
import { startPrometheus } from '../helpers/prometheus.js';

test('Prometheus scrapes per-tool and per-backend counts and sees a dead backend', { timeout: 60_000 }, async () => {
  // beta runs through a symlink that the test removes: once killed, it cannot restart and stays down.
  const dir = mkdtempSync(join(tmpdir(), 'vmcp-telemetry-'));
  const betaScript = join(dir, 'beta-echo.mjs');
  symlinkSync(join(FIXTURES, 'echo.mjs'), betaScript);
  await using gw = await startGateway({
    name: 'metrics-test',
    backends: [stdioBackend('alpha', join(FIXTURES, 'echo.mjs')), stdioBackend('beta', betaScript)],
    operational: { failureHandling: { healthCheckInterval: '500ms', healthCheckTimeout: '250ms', unhealthyThreshold: 2 } },
  });
  await using client = await connectClient(gw.url);
  const tools = (await client.listTools()).tools.map((t) => t.name).sort();
  assert.equal(tools.length, 2);
  const [alphaTool, betaTool] = tools as [string, string];
  for (let i = 0; i < 3; i++) await client.callTool({ name: alphaTool, arguments: { message: `a${i}` } });
  for (let i = 0; i < 2; i++) await client.callTool({ name: betaTool, arguments: { message: `b${i}` } });

  await using prom = await startPrometheus([new URL(gw.url).host]);
  const byLabel = async (promql: string, label: string) =>
    Object.fromEntries((await prom.query(promql)).map((s) => [s.metric[label], s.value]));
  const perTool = await waitFor(async () => {
    const v = await byLabel('sum by (gen_ai_tool_name) (toolhive_mcp_tool_calls_total)', 'gen_ai_tool_name');
    return Object.keys(v).length === 2 ? v : undefined;
  }, 'the first scrape');
  assert.deepEqual(perTool, { [alphaTool]: 3, [betaTool]: 2 });
  const perBackend = await byLabel(
    'sum by (target_workload_name) (toolhive_vmcp_backend_requests_total{mcp_method_name="tools/call"})',
    'target_workload_name',
  );
  assert.deepEqual(perBackend, { alpha: 3, beta: 2 });
  assert.deepEqual(await byLabel('toolhive_mcp_requests_total{mcp_method_name="tools/call"}', 'status'), { success: 5 });
  assert.deepEqual(await byLabel('vmcp_catalog_entries', 'kind'), { tools: 2, prompts: 0, resources: 0, templates: 0 });
  assert.deepEqual(await byLabel('vmcp_backend_health == 1', 'target_workload_name'), { alpha: 1, beta: 1 });
  assert.deepEqual(await byLabel('vmcp_sessions', 'era'), { legacy: 1, modern: 0, stdio: 0 });

  rmSync(dir, { recursive: true, force: true });
  const pid = descendants('beta-echo.mjs')[0];
  assert.ok(pid, 'the beta process');
  process.kill(pid, 'SIGKILL');
  const down = await waitFor(
    async () => (await prom.query('vmcp_backend_health{target_workload_name="beta",state="unhealthy"} == 1')).length === 1,
    'the health gauge to show beta unhealthy',
  );
  assert.ok(down);
  assert.equal((await prom.query('vmcp_backend_connection{target_workload_name="beta",state="ready"}'))[0]?.value, 0);
  // The next scrape after the kill may still see a probe in flight on alpha: wait for one that shows the settled state.
  const healthy = async () => JSON.stringify(await byLabel('vmcp_backend_health{state="healthy"} == 1', 'target_workload_name'));
  await waitFor(async () => (await healthy()) === JSON.stringify({ alpha: 1 }), 'only alpha healthy in the health gauge').catch(
    () => undefined,
  );
  assert.deepEqual(await byLabel('vmcp_backend_health{state="healthy"} == 1', 'target_workload_name'), { alpha: 1 });
});
