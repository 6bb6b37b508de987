// Health, routability and status end to end, with real processes and sockets: a backend behind
// per-user OAuth (401 without a token) is `unauthenticated` and routable; a killed backend becomes
// unhealthy, leaves the catalog and comes back; slow → degraded; hanging → probe timeout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectClient,
  EVERYTHING,
  FIXTURES,
  spawnFixture,
  startGateway,
  stdioBackend,
  text,
  waitFor,
  type Fixture,
  type TestGateway,
} from '../helpers/gateway.js';
import { statusReportSchema } from '../../src/health/status-schema.js';
import { runStatus } from '../../src/cli/status.js';

const fast = { interval: '200ms', timeout: '150ms' };
const base = (gw: TestGateway) => gw.url.replace(/\/mcp$/, '');
async function getStatus(gw: TestGateway) {
  const res = await fetch(`${base(gw)}/status`);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return statusReportSchema.parse(await res.json());
}
const backendOf = (s: Awaited<ReturnType<typeof getStatus>>, name: string) => s.backends.find((b) => b.name === name)!;

describe('per-user OAuth backends are unauthenticated and routable', () => {
  it('alone: phase Ready, "1 backend requires authentication", /readyz 200', async () => {
    await using auth = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0']);
    await using gw = await startGateway({
      name: 'h',
      backends: [{ name: 'oauth', transport: 'streamable-http', url: auth.url, health: fast }],
    });
    const s = await waitFor(async () => {
      const r = await getStatus(gw);
      return r.phase !== 'Pending' ? r : undefined;
    }, 'first probe');
    assert.equal(s.phase, 'Ready');
    assert.equal(s.message, '1 backend requires authentication');
    assert.equal(s.healthy, true);
    assert.equal(s.backendCount, 1);
    const b = backendOf(s, 'oauth');
    assert.equal(b.health, 'unauthenticated');
    assert.equal(b.status, 'unauthenticated');
    assert.equal(b.message, 'Authentication required: no credentials configured for this backend');
    const ready = await fetch(`${base(gw)}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(s.conditions.find((c) => c.type === 'Ready')?.reason, 'AllBackendsRoutable');
  });

  it('next to server-everything: "1 backend healthy, 1 requires authentication"', async () => {
    await using auth = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0']);
    await using gw = await startGateway({
      name: 'h',
      backends: [
        stdioBackend('everything', EVERYTHING, ['stdio'], { health: fast }),
        { name: 'oauth', transport: 'streamable-http', url: auth.url, health: fast },
      ],
    });
    const s = await waitFor(async () => {
      const r = await getStatus(gw);
      return r.summary.unauthenticated === 1 && r.summary.healthy === 1 ? r : undefined;
    }, 'both probed');
    assert.equal(s.phase, 'Ready');
    assert.equal(s.message, '1 backend healthy, 1 requires authentication');
    assert.equal(s.backendCount, 2);
    assert.equal(backendOf(s, 'everything').status, 'ready');
    assert.equal(backendOf(s, 'everything').mcpRevision, '2025-11-25');
    await using client = await connectClient(gw.url);
    assert.ok(
      (await client.listTools()).tools.some((t) => t.name === 'everything_echo'),
      'the healthy backend serves',
    );
  });
});

describe('a backend that dies', () => {
  it('becomes unhealthy after the threshold, leaves the catalog (clients notified), fails fast while the circuit is open, and returns', async () => {
    const spec = JSON.stringify({ name: 'alpha', tools: [{ name: 'greet' }] });
    let fixture: Fixture = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'streamable-http', '--port', '0'], {
      NAMED_SPEC: spec,
    });
    const port = new URL(fixture.url).port;
    await using gw = await startGateway({
      name: 'h',
      backends: [
        { name: 'alpha', transport: 'streamable-http', url: fixture.url, health: { ...fast, unhealthyThreshold: 2 } },
        stdioBackend('beta', `${FIXTURES}/named.mjs`, [], {
          env: { NAMED_SPEC: JSON.stringify({ name: 'beta', tools: [{ name: 'ping' }] }) },
        }),
      ],
      operational: { failureHandling: { circuitBreaker: { enabled: true, failureThreshold: 2, timeout: '1500ms' } } },
    });
    await using client = await connectClient(gw.url);
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void (changes += 1));
    assert.equal(
      text((await client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } })) as never),
      'alpha:greet:{}',
    );

    await fixture.close();
    await waitFor(() => gw.monitor.get('alpha')?.state === 'unhealthy', 'alpha unhealthy');
    const s = await getStatus(gw);
    assert.equal(backendOf(s, 'alpha').status, 'unavailable');
    assert.equal(s.phase, 'Degraded');
    assert.match(s.message, /^1\/2 backends routable/);
    await waitFor(() => changes > 0, 'tools/list_changed');
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['beta_ping'],
    );
    const started = Date.now();
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } }),
      (e: Error) => /Backend "alpha" is unavailable/.test(e.message) && /retried/.test(e.message),
    );
    assert.ok(Date.now() - started < 500, 'the call fails at once');
    assert.equal(
      text((await client.request({ method: 'tools/call', params: { name: 'beta_ping', arguments: {} } })) as never),
      'beta:ping:{}',
    );

    fixture = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'streamable-http', '--port', port], { NAMED_SPEC: spec });
    try {
      await waitFor(
        async () => (await client.listTools()).tools.some((t) => t.name === 'alpha_greet'),
        'alpha back in the catalog',
        20_000,
      );
      assert.equal(
        text((await client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } })) as never),
        'alpha:greet:{}',
      );
      await waitFor(async () => (await getStatus(gw)).phase === 'Ready', 'phase Ready again', 10_000);
    } finally {
      await fixture.close();
    }
  });

  it('a stdio backend whose process exits is noticed at once, not at the next probe', async () => {
    await using gw = await startGateway({
      name: 'h',
      backends: [stdioBackend('crashy', `${FIXTURES}/crash-on-call.mjs`, [], { health: { interval: '1h', timeout: '1s' } })],
    });
    await using client = await connectClient(gw.url);
    await assert.rejects(client.request({ method: 'tools/call', params: { name: 'crashy_crash', arguments: {} } }));
    const h = gw.monitor.get('crashy')!;
    assert.ok(h.consecutiveFailures >= 1, `failure recorded without waiting an hour for a probe (${JSON.stringify(h)})`);
    assert.equal(h.lastError, 'Backend unavailable');
  });
});

describe('slow and hanging backends', () => {
  it('a backend that answers slower than degradedThreshold is degraded (and stays in the catalog)', async () => {
    await using gw = await startGateway({
      name: 'h',
      backends: [
        stdioBackend('slow', `${FIXTURES}/slow.mjs`, ['--list-delay-ms', '120'], {
          health: { interval: '500ms', timeout: '400ms', degradedThreshold: '50ms' },
        }),
        stdioBackend('quick', `${FIXTURES}/named.mjs`, [], {
          env: { NAMED_SPEC: JSON.stringify({ name: 'quick', tools: [{ name: 'go' }] }) },
        }),
      ],
    });
    await waitFor(() => gw.monitor.get('slow')?.state === 'degraded', 'degraded');
    const s = await getStatus(gw);
    assert.equal(s.phase, 'Degraded', 'degraded is not routable: 1 of 2 routable');
    assert.match(s.message, /^1\/2 backends routable \(1 degraded, 0 unhealthy, 0 unknown\)$/);
    assert.equal(backendOf(s, 'slow').status, 'degraded');
    assert.match(backendOf(s, 'slow').message, /Slow response/);
    assert.equal(s.conditions.find((c) => c.type === 'BackendsDegraded')?.message, '1 backend degraded');
    await using client = await connectClient(gw.url);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['quick_go', 'slow_sleep']);
    assert.equal((await fetch(`${base(gw)}/readyz`)).status, 200, 'Degraded is still ready');
  });

  it('a backend that hangs fails its probes by timeout and ends up unhealthy; phase Failed, /readyz 503', async () => {
    await using gw = await startGateway({
      name: 'h',
      backends: [
        stdioBackend('stuck', `${FIXTURES}/hang.mjs`, [], {
          timeouts: { connect: '5s' },
          health: { interval: '200ms', timeout: '100ms', unhealthyThreshold: 2 },
        }),
      ],
    });
    await waitFor(() => gw.monitor.get('stuck')?.state === 'unhealthy', 'unhealthy');
    const s = await getStatus(gw);
    assert.equal(s.phase, 'Failed');
    assert.equal(s.healthy, false);
    assert.equal(s.conditions.find((c) => c.type === 'Ready')?.reason, 'NoRoutableBackends');
    assert.match(backendOf(s, 'stuck').message, /Health check timed out/);
    assert.equal((await fetch(`${base(gw)}/readyz`)).status, 503);
  });
});

describe('vmcp status', () => {
  it('prints the same status as a table and exits 0 for a Ready gateway', async () => {
    await using auth = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0']);
    await using gw = await startGateway({
      name: 'status-cli',
      backends: [{ name: 'oauth', transport: 'streamable-http', url: auth.url, health: fast }],
    });
    await waitFor(async () => (await getStatus(gw)).phase === 'Ready', 'Ready');
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, env: {} };
    assert.equal(await runStatus(['--url', gw.url], io, { color: false }), 0);
    assert.match(out, /status-cli/);
    assert.match(out, /Ready\s+1 backend requires authentication/);
    assert.match(out, /oauth\s+unauthenticated\s+streamable-http/);
    out = '';
    assert.equal(await runStatus(['--url', gw.url, '--json'], io, { color: false }), 0);
    assert.equal(statusReportSchema.parse(JSON.parse(out)).backends[0]!.name, 'oauth');
  });
});
