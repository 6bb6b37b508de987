// Scale-out with no affinity: three replicas behind round-robin HAProxy share 2025-era sessions in
// a real Redis. Each request's replica comes from the `vmcp-replica` header, so the assertions
// show that consecutive requests of one session really were served by different replicas.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { text, waitFor } from '../helpers/gateway.js';
import { lastReplica, startCluster, tracedClient, type Cluster } from './scale/cluster.js';

const WATCHED = 'test://watched-resource';

describe('three replicas, sessions in Redis, round robin with no stickiness', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster(3);
  });
  after(async () => {
    await cluster?.[Symbol.asyncDispose]();
  });

  it('a 2025-era client initializes, lists, calls and subscribes across replicas', async () => {
    await using client = await tracedClient(cluster.lb.url);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t) => t.name === 'test_watched_resource_update'));
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
      assert.notEqual(r.isError, true);
    }
    const replicas = new Set(client.served.filter((s) => s.status < 400).map((s) => s.replica));
    assert.equal(replicas.size, 3, `one session was served by every replica: ${JSON.stringify(client.served)}`);
    assert.ok(
      client.served.every((s) => s.status < 400),
      JSON.stringify(client.served),
    );
  });

  it('a resource update reaches the GET stream open on another replica', async () => {
    const updates: string[] = [];
    await using client = await tracedClient(cluster.lb.url);
    client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(String(n.params.uri)));
    await waitFor(() => client.served.some((s) => s.kind === 'GET' && s.status === 200), 'the GET stream');
    await client.subscribeResource({ uri: WATCHED });
    const subscribedOn = lastReplica(client, 'resources/subscribe');
    // The backend subscription lives on the replica that served the subscribe; call until one lands there.
    let notifiedBy: string | undefined;
    for (let i = 0; i < 3 && !notifiedBy; i++) {
      const r = await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
      if (text(r).includes('notified: true')) notifiedBy = lastReplica(client, 'tools/call');
    }
    assert.equal(notifiedBy, subscribedOn);
    await waitFor(() => updates.includes(WATCHED), 'notifications/resources/updated on the GET stream');
    assert.notEqual(lastReplica(client, 'GET'), notifiedBy, `the stream was on another replica: ${JSON.stringify(client.served)}`);
  });

  it('an elicitation sent by one replica is answered through another and the call completes', async () => {
    await using client = await tracedClient(cluster.lb.url, { elicitation: {} });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { answer: 'blue' } }));
    const r = await client.callTool({ name: 'test_elicitation', arguments: { message: 'colour?' } });
    assert.notEqual(r.isError, true, text(r));
    const call = lastReplica(client, 'tools/call');
    const answer = lastReplica(client, 'answer');
    assert.ok(answer && call && answer !== call, `the answer went to another replica: ${JSON.stringify(client.served)}`);
  });

  it('Redis stopped: known sessions go on, new ones get 503 naming the cause; all recovers when it returns', async () => {
    await using client = await tracedClient(cluster.lb.url);
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
    await cluster.redis.stop();
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
      assert.notEqual(r.isError, true, text(r));
    }
    const refused = await initialize(cluster.lb.url);
    assert.equal(refused.status, 503);
    assert.match(refused.text, /session storage \(sessionStorage\) is unreachable/);
    await cluster.redis.start();
    // Every replica reconnects and puts back the sessions it holds (this Redis kept nothing). Each
    // reconnects on its own backoff, so each is asked directly: one answer through the balancer
    // tells of one replica only.
    for (const replica of cluster.replicas) {
      const ready = async () => (await initialize(replica.url)).status === 200;
      await waitFor(ready, `new sessions on ${replica.url} after Redis returned`, 15_000);
    }
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
      assert.notEqual(r.isError, true, text(r));
    }
  });

  it('a session ended on one replica (DELETE) is gone on every replica at once, also where it was held', async () => {
    await using client = await tracedClient(cluster.lb.url);
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
    assert.equal(new Set(client.served.map((s) => s.replica)).size, 3, 'every replica holds the session');
    const session = client.sessionId()!;
    const ended = await fetch(cluster.lb.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
    });
    assert.equal(ended.status, 200);
    for (const replica of cluster.replicas) {
      const res = await ping(replica.url, session);
      assert.equal(res.status, 404, `${replica.url}: ${res.text}`);
      assert.match(res.text, /Session not found/);
    }
  });

  it('SIGTERM of one replica (a rollout): its sessions are not ended, they go on through the others', async () => {
    await using client = await tracedClient(cluster.lb.url);
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
    const leaving = cluster.replicas[2]!;
    assert.ok(
      client.served.some((s) => s.replica === 'r3'),
      'r3 held the session',
    );
    assert.equal((await leaving.stop('SIGTERM', 15_000)).code, 0);
    const before = client.served.length;
    // The balancer's check (every 200 ms) takes r3 out; calls then land on r1 and r2.
    await waitFor(async () => (await ping(cluster.lb.url, client.sessionId()!)).status === 200, 'the balancer past r3');
    for (let i = 0; i < 4; i++) {
      const r = await client.callTool({ name: 'test_watched_resource_update', arguments: {} });
      assert.notEqual(r.isError, true, text(r));
    }
    const after = client.served.slice(before);
    assert.ok(
      after.every((s) => s.status < 400 && s.replica !== 'r3'),
      JSON.stringify(after),
    );
  });

  it('SIGKILL of one replica mid-run: the sessions go on; only calls in flight on it fail', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => tracedClient(cluster.lb.url)));
    const victim = cluster.replicas[1]!;
    let killedAt = Infinity;
    const outcomes: { startedAt: number; ok: boolean }[] = [];
    const run = async (c: (typeof clients)[number]) => {
      // At least 20 calls each, and on until 2 s past the kill, so calls run after haproxy noticed.
      for (let i = 0; i < 500 && (i < 20 || Date.now() < killedAt + 2000); i++) {
        const startedAt = Date.now();
        if (i === 8 && c === clients[0]) {
          killedAt = startedAt;
          process.kill(victim.pid, 'SIGKILL');
        }
        const ok = await c.callTool({ name: 'test_watched_resource_update', arguments: {} }).then(
          (r) => r.isError !== true,
          () => false,
        );
        outcomes.push({ startedAt, ok });
      }
    };
    await Promise.all(clients.map(run));
    const failed = outcomes.filter((o) => !o.ok);
    assert.ok(failed.length <= clients.length, `at most the calls in flight failed: ${failed.length}`);
    const afterDetection = outcomes.filter((o) => o.startedAt > killedAt + 1000);
    assert.ok(afterDetection.length > 0 && afterDetection.every((o) => o.ok), 'every call after the balancer noticed succeeded');
    for (const c of clients) await c.close();
  });
});

async function initialize(url: string): Promise<{ status: number; text: string }> {
  const params = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } };
  return post(url, { jsonrpc: '2.0', id: 1, method: 'initialize', params });
}

/** A ping on a 2025-era session, sent straight to one URL (a replica, or the balancer). */
async function ping(url: string, session: string): Promise<{ status: number; text: string }> {
  return post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
}

async function post(url: string, message: object, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
  });
  return { status: res.status, text: await res.text() };
}
