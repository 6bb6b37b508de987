// ToolHive's status names next to vmcp's own, through the front door: /status carries
// group_ref, auth_type and mcp_revision; GET /api/backends/health answers in ToolHive's shape
// (Go field names, Go zero times) from the same monitor records; with probing off it says so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, spawnFixture, startGateway, stdioBackend, waitFor, type TestGateway } from '../helpers/gateway.js';
import { statusReportSchema } from '../../src/health/status-schema.js';
import { GO_ZERO_TIME } from '../../src/health/backends-health.js';

const fast = { interval: '200ms', timeout: '150ms' };
const base = (gw: TestGateway) => gw.url.replace(/\/mcp$/, '');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

async function get(gw: TestGateway, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base(gw)}${path}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return (await res.json()) as Record<string, unknown>;
}

describe('status parity with ToolHive', () => {
  it('/status has group_ref, auth_type and mcp_revision; /api/backends/health has ToolHive keys', async () => {
    await using auth = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0']);
    await using gw = await startGateway({
      name: 'parity',
      groupRef: 'engineering',
      backends: [
        stdioBackend('echo', `${FIXTURES}/echo.mjs`, [], { health: fast }),
        { name: 'oauth', transport: 'streamable-http', url: auth.url, health: fast },
      ],
    });
    const status = await waitFor(async () => {
      const s = statusReportSchema.parse(await get(gw, '/status'));
      return s.backends.every((b) => b.health !== 'unknown') ? s : undefined;
    }, 'first probes');
    assert.equal(status.group_ref, 'engineering');
    const echo = status.backends.find((b) => b.name === 'echo')!;
    assert.equal(echo.auth_type, 'unauthenticated');
    assert.equal(echo.auth_type, echo.authType);
    assert.ok(echo.mcp_revision, 'a connected backend has its revision');
    assert.equal(echo.mcp_revision, echo.mcpRevision);

    const health = await get(gw, '/api/backends/health');
    assert.deepEqual(Object.keys(health).sort(), ['backends', 'monitoring_enabled', 'summary']);
    assert.equal(health['monitoring_enabled'], true);
    assert.deepEqual(health['summary'], { Total: 2, Healthy: 1, Degraded: 0, Unhealthy: 0, Unknown: 0, Unauthenticated: 1 });
    const backends = health['backends'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(backends).sort(), ['echo', 'oauth']);
    const e = backends['echo']!;
    assert.deepEqual(Object.keys(e).sort(), [
      'CircuitLastChanged',
      'CircuitState',
      'ConsecutiveFailures',
      'LastCheckTime',
      'LastErrorCategory',
      'LastTransitionTime',
      'MCPRevision',
      'Status',
    ]);
    assert.equal(e['Status'], 'healthy');
    assert.equal(e['ConsecutiveFailures'], 0);
    assert.match(String(e['LastCheckTime']), ISO);
    assert.notEqual(e['LastCheckTime'], GO_ZERO_TIME);
    assert.equal(e['LastErrorCategory'], '');
    assert.equal(e['CircuitState'], 'closed');
    assert.equal(e['CircuitLastChanged'], GO_ZERO_TIME, 'a circuit that never changed has Go zero time');
    assert.equal(e['MCPRevision'], echo.mcpRevision);
    assert.equal(backends['oauth']!['Status'], 'unauthenticated');
    assert.equal(backends['oauth']!['LastErrorCategory'], 'Authentication failed');
  });

  it('healthy counts an unauthenticated backend as routable (the one difference from ToolHive)', async () => {
    await using auth = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0']);
    await using gw = await startGateway({
      name: 'parity',
      backends: [{ name: 'oauth', transport: 'streamable-http', url: auth.url, health: fast }],
    });
    const status = await waitFor(async () => {
      const s = statusReportSchema.parse(await get(gw, '/status'));
      return s.backends[0]!.health === 'unauthenticated' ? s : undefined;
    }, 'first probe');
    assert.equal(status.group_ref, '', 'no groupRef: an empty string, as ToolHive sends it');
    assert.equal(status.healthy, true, 'ToolHive would say false here: no backend is healthy');
    const health = await get(gw, '/api/backends/health');
    assert.equal((health['summary'] as Record<string, number>)['Healthy'], 0);
  });

  it('with probing off, /api/backends/health says monitoring is disabled and lists nothing', async () => {
    await using gw = await startGateway({
      name: 'parity',
      operational: { failureHandling: { healthCheckInterval: '0s' } },
      backends: [stdioBackend('echo', `${FIXTURES}/echo.mjs`)],
    });
    assert.deepEqual(await get(gw, '/api/backends/health'), { monitoring_enabled: false });
  });
});
