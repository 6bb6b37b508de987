// One broken backend never breaks the rest: crashes, restarts, backends that are down at start,
// hang or answer slowly. Real processes and sockets throughout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectClient,
  freePort,
  descendants,
  FIXTURES,
  isAlive,
  spawnFixture,
  startGateway,
  stdioBackend,
  text,
  waitFor,
} from '../helpers/gateway.js';

const alpha = stdioBackend('alpha', `${FIXTURES}/named.mjs`, [], {
  env: { NAMED_SPEC: JSON.stringify({ name: 'alpha', tools: [{ name: 'greet' }] }) },
});

describe('resilience', () => {
  it('a stdio backend that crashes mid-call gives a clear error, leaves the catalog, restarts and comes back', async () => {
    await using gw = await startGateway({ name: 'r', backends: [alpha, stdioBackend('crashy', `${FIXTURES}/crash-on-call.mjs`)] });
    await using client = await connectClient(gw.url);
    const [firstPid] = descendants('crash-on-call.mjs');
    assert.ok(firstPid);
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void (changes += 1));

    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'crashy_crash', arguments: {} } }),
      /Backend "crashy" connection was lost during tools\/call/,
    );
    const during = await client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } });
    assert.equal(text(during as never), 'alpha:greet:{}', 'the other backend keeps serving');

    await waitFor(() => changes > 0, 'list_changed after the crash');
    await waitFor(() => gw.backends().find((b) => b.name === 'crashy')?.state === 'ready', 'crashy restarted', 15_000);
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'crashy_ok'), 'crashy tools back');
    const ok = await client.request({ method: 'tools/call', params: { name: 'crashy_ok', arguments: {} } });
    assert.equal(text(ok as never), 'ok');
    assert.ok(!isAlive(firstPid), 'the crashed process is gone');
    assert.equal(descendants('crash-on-call.mjs').length, 1, 'exactly one replacement process');
  });

  it('a backend that is down at start is reported and retried while the rest serve', async () => {
    const port = await freePort();
    const spec = JSON.stringify({ name: 'late', tools: [{ name: 'hello' }] });
    await using gw = await startGateway({
      name: 'r',
      backends: [alpha, { name: 'late', transport: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` }],
    });
    const late = gw.backends().find((b) => b.name === 'late')!;
    assert.equal(late.state, 'down');
    assert.ok(late.error, 'the reason is reported');
    await using client = await connectClient(gw.url);
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['alpha_greet'],
    );
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'late_hello', arguments: {} } }),
      /Unknown tool: "late_hello"/,
    );

    await using fixture = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'streamable-http', '--port', String(port)], {
      NAMED_SPEC: spec,
    });
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'late_hello'), 'late backend joins', 20_000);
    const r = await client.request({ method: 'tools/call', params: { name: 'late_hello', arguments: {} } });
    assert.equal(text(r as never), 'late:hello:{}');
    void fixture;
  });

  it('a backend that hangs on discovery does not block start and the others serve', async () => {
    const started = Date.now();
    await using gw = await startGateway({
      name: 'r',
      backends: [alpha, stdioBackend('stuck', `${FIXTURES}/hang.mjs`, [], { timeouts: { connect: '1s', request: '300ms' } })],
    });
    assert.ok(Date.now() - started < 5_000, 'start is bounded by the connect timeout');
    await using client = await connectClient(gw.url);
    const r = await client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } });
    assert.equal(text(r as never), 'alpha:greet:{}');
  });

  it('per-backend request timeouts apply, and progress resets them for long calls', async () => {
    await using gw = await startGateway({
      name: 'r',
      backends: [stdioBackend('slow', `${FIXTURES}/slow.mjs`, ['--progress-interval-ms', '100'], { timeouts: { request: '500ms' } })],
    });
    await using client = await connectClient(gw.url);
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 2000 } } }),
      /Backend "slow" did not answer tools\/call within 0.5s/,
    );
    const progress: number[] = [];
    const long = await client.request(
      { method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 1500 } } },
      { onprogress: (p) => void progress.push(p.progress) },
    );
    assert.equal(text(long as never), 'slept 1500ms', 'a call reporting progress outlives the 500ms timeout');
    assert.ok(progress.length >= 5, `progress reached the client with its own token (${progress.length} updates)`);
  });
});
