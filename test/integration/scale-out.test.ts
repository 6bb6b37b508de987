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
});
