// A 2026-07-28 client's input_required rounds across replicas: three vmcp replicas behind
// round-robin HAProxy (no stickiness) and a real Redis. The backend call that asked for input is
// live on the replica that started it; the client's retry lands on another one (the `vmcp-replica`
// header says which) and is relayed to the holder, still bound to the principal that started it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { text, waitFor } from '../helpers/gateway.js';
import { connectRedis, whenReady } from '../../src/state/redis-connection.js';
import { stdio } from '../abuse/lib/config.js';
import { startCluster, tracedClient, type Cluster, type TracedClient } from './scale/cluster.js';

const KEYS = { alice: 'alice-key-0123456789', bob: 'bob-key-0123456789' };
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const CAPS = { elicitation: { form: {} } };

const modern = (url: string, who: keyof typeof KEYS) =>
  tracedClient(url, CAPS, { era: '2026-07-28', headers: { authorization: `Bearer ${KEYS[who]}` } });

/** tools/call that returns input_required to the test instead of fulfilling it. */
const manual = (client: TracedClient, params: Record<string, unknown>) =>
  client.request({ method: 'tools/call', params: params as never }, { allowInputRequired: true }) as Promise<Record<string, unknown>>;

async function redisProbe(port: number): Promise<Redis & AsyncDisposable> {
  const redis = connectRedis({ host: '127.0.0.1', port, db: 0 }, 'probe');
  assert.ok(await whenReady(redis));
  return Object.assign(redis, { [Symbol.asyncDispose]: async () => void redis.disconnect() });
}

/** The replicas that served this client's tools/call requests, in order. */
const calls = (client: TracedClient) => client.served.filter((s) => s.kind === 'tools/call').map((s) => s.replica);

/** A workflow that asks, then calls a tool: its per-step progress comes from the round after the answer. */
const ASK = {
  name: 'ask_then_run',
  description: 'asks a question, then runs a tool',
  steps: [
    { id: 'q', type: 'elicitation', message: 'Go?', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    { id: 'go', tool: 'conf.test_simple_text', dependsOn: ['q'] },
  ],
};

/** Asks, then naps on the slow backend: a round long enough to cancel while it runs on the holder. */
const NAP = {
  name: 'ask_then_nap',
  description: 'asks a question, then sleeps',
  steps: [
    { id: 'q', type: 'elicitation', message: 'Nap?', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    { id: 'nap', tool: 'slow.sleep', arguments: { ms: 30000 }, dependsOn: ['q'] },
  ],
};

describe('2026-07-28 input_required rounds across replicas (round robin, no stickiness)', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster(3, {
      compositeTools: [ASK, NAP],
      backends: [stdio('conf', 'conformance-backend.mjs', ['--transport', 'stdio']), stdio('slow', 'slow.mjs', ['--transport', 'stdio'])],
      incomingAuth: {
        type: 'anonymous',
        apiKeys: [
          { name: 'alice', sha256: sha256(KEYS.alice) },
          { name: 'bob', sha256: sha256(KEYS.bob) },
        ],
      },
    });
  });
  after(async () => {
    await cluster?.[Symbol.asyncDispose]();
  });

  it("completes a round whose retry lands on another replica than the call's", async () => {
    await using client = await modern(cluster.lb.url, 'alice');
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { answer: 'blue' } }));
    await using probe = await redisProbe(cluster.redis.port);
    await probe.call('CONFIG', 'RESETSTAT');
    const r = await client.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'colour?' } } });
    // The relay: the retry to the holder, its confirmation and the result (and one more every 2 s it runs).
    const published = Number(/^cmdstat_publish:calls=(\d+)/m.exec(String(await probe.call('INFO', 'commandstats')))?.[1] ?? 0);
    assert.ok(published >= 3, `the relay's messages went through Redis: ${published} PUBLISH`);
    assert.match(text(r as never), /action=accept, content=\{"answer":"blue"\}/);
    const [first, retry] = calls(client);
    assert.equal(calls(client).length, 2, `one call and one retry: ${JSON.stringify(client.served)}`);
    assert.ok(first && retry && first !== retry, `the retry was served by another replica: ${JSON.stringify(client.served)}`);
  });

  it('binds the relayed retry to the principal: another user is refused, the owner goes on', async () => {
    await using alice = await modern(cluster.lb.url, 'alice');
    await using bob = await modern(cluster.lb.url, 'bob');
    const params = { name: 'test_elicitation', arguments: { message: 'name?' } };
    const first = await manual(alice, params);
    assert.equal(first['resultType'], 'input_required');
    const state = String(first['requestState']);
    const holder = calls(alice)[0]!;
    assert.match(state, new RegExp(`^vmcp-ir\\.[\\w-]{22}@${holder}$`), 'the secret, then the replica holding the call');
    const [key] = Object.keys(first['inputRequests'] as object);
    const inputResponses = { [key!]: { action: 'accept', content: { answer: 'alice' } } };

    // Bob's guesses land on other replicas too (bob's every request goes round the balancer).
    for (let i = 0; i < 3; i++) {
      await assert.rejects(manual(bob, { ...params, inputResponses, requestState: state }), /Invalid or expired requestState/);
    }
    assert.ok(
      calls(bob).some((r) => r !== holder),
      `some of bob's tries were relayed to the holder: ${JSON.stringify(bob.served)}`,
    );
    await assert.rejects(
      manual(alice, { ...params, name: 'test_sampling', inputResponses, requestState: state }),
      /Invalid or expired requestState/,
      'another tool',
    );

    // Alice's retry goes to the holder from wherever it lands; make sure it lands elsewhere.
    for (let i = 0; i < 6 && alice.served.at(-1)?.replica !== holder; i++) await alice.listTools();
    const done = await manual(alice, { ...params, inputResponses, requestState: state });
    assert.match(text(done as never), /content=\{"answer":"alice"\}/);
    assert.notEqual(calls(alice).at(-1), holder, `the owner's retry was served elsewhere: ${JSON.stringify(alice.served)}`);
    await assert.rejects(manual(alice, { ...params, inputResponses, requestState: state }), /Invalid or expired requestState/, 'used up');
  });

  it("relays the holder's progress during the round to the replica answering the retry", async () => {
    await using alice = await modern(cluster.lb.url, 'alice');
    const name = (await alice.listTools()).tools.map((t) => t.name).find((n) => n.endsWith('ask_then_run'))!;
    const progress: string[] = [];
    const onprogress = (p: { message?: string }) => void progress.push(String(p.message));
    const ask = (params: Record<string, unknown>) =>
      alice.request({ method: 'tools/call', params: params as never }, { allowInputRequired: true, onprogress }) as Promise<
        Record<string, unknown>
      >;
    const first = await ask({ name, arguments: {} });
    assert.equal(first['resultType'], 'input_required');
    const holder = calls(alice).at(-1)!;
    const [key] = Object.keys(first['inputRequests'] as object);
    const done = await ask({
      name,
      arguments: {},
      inputResponses: { [key!]: { action: 'accept', content: { ok: true } } },
      requestState: first['requestState'],
    });
    assert.match(text(done as never), /simple text response/);
    assert.notEqual(calls(alice).at(-1), holder, `the retry was served elsewhere: ${JSON.stringify(alice.served)}`);
    assert.deepEqual(progress, ['step q completed', 'step go completed'], 'the steps run on the holder, reported through the retry');
  });

  /**
   * alice's ask_then_nap call parked on its holder (`victim`), the retry's params answering it, and
   * a client of alice's connected straight to another replica to send that retry (the caller
   * disposes both clients).
   */
  async function napRetryElsewhere() {
    const alice = await modern(cluster.lb.url, 'alice');
    const name = (await alice.listTools()).tools.map((t) => t.name).find((n) => n.endsWith('ask_then_nap'))!;
    const first = await manual(alice, { name, arguments: {} });
    const holder = calls(alice).at(-1)!;
    const victim = cluster.replicas.find((_, i) => `r${i + 1}` === holder)!;
    const [key] = Object.keys(first['inputRequests'] as object);
    const params = {
      name,
      arguments: {},
      inputResponses: { [key!]: { action: 'accept', content: { ok: true } } },
      requestState: first['requestState'],
    };
    const other = cluster.replicas.find((r) => r !== victim)!;
    return { alice, victim, params, direct: await modern(other.url, 'alice') };
  }

  it('a client that cancels the relayed retry cancels the round on the holder', async () => {
    // Straight to another replica: a balancer need not pass a client's abort on to the server.
    const nap = await napRetryElsewhere();
    await using _alice = nap.alice;
    await using direct = nap.direct;
    const { victim, params } = nap;
    const controller = new AbortController();
    const retry = direct.request(
      { method: 'tools/call', params: params as never },
      { allowInputRequired: true, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('changed my mind')), 1500);
    await assert.rejects(retry);
    // slow.mjs says so on stderr, which the holder logs: the backend call on the holder was cancelled.
    await waitFor(
      () => victim.logs.matching(/sleep 30000ms cancelled by the client/).length > 0,
      'the nap cancelled on the holder',
      10_000,
    );
  });

  it('a holder that goes silent mid-round (frozen, still connected to Redis): the retry fails once nothing is heard for 10 s', async () => {
    const nap = await napRetryElsewhere();
    await using _alice = nap.alice;
    await using direct = nap.direct;
    const { victim, params } = nap;
    const retry = direct.request({ method: 'tools/call', params: params as never }, { allowInputRequired: true });
    // The holder confirms and starts the nap; then it freezes: its Redis connection stays open, it says nothing more.
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(victim.pid, 'SIGSTOP');
    const frozen = Date.now();
    try {
      await assert.rejects(retry, /replica holding this call \(r\d\) stopped answering: nothing heard within 10s/);
      const waited = Date.now() - frozen;
      assert.ok(
        waited >= 7000 && waited < 16_000,
        `the retry failed ${waited} ms after the holder froze (heartbeats every 2 s, silence 10 s)`,
      );
    } finally {
      process.kill(victim.pid, 'SIGCONT');
    }
    await waitFor(async () => (await fetch(`${victim.base}/health`)).ok, 'the holder serving again');
    await new Promise((r) => setTimeout(r, 1000)); // and back in the balancer
  });

  it('a holder that does not answer in time: the retry fails, is never applied later, and the call goes on once it runs', async () => {
    await using alice = await modern(cluster.lb.url, 'alice');
    const params = { name: 'test_elicitation', arguments: { message: 'asleep?' } };
    const first = await manual(alice, params);
    const holder = calls(alice)[0]!;
    const victim = cluster.replicas.find((_, i) => `r${i + 1}` === holder)!;
    const [key] = Object.keys(first['inputRequests'] as object);
    const retry = {
      ...params,
      inputResponses: { [key!]: { action: 'accept', content: { answer: 'late' } } },
      requestState: first['requestState'],
    };
    process.kill(victim.pid, 'SIGSTOP');
    try {
      await new Promise((r) => setTimeout(r, 2000)); // the balancer's health check takes it out
      await assert.rejects(manual(alice, retry), /replica holding this call \(r\d\) did not confirm the retry within 5s/);
    } finally {
      process.kill(victim.pid, 'SIGCONT');
    }
    // Woken, the holder refuses the stale relay (too late) and the call is still parked: the same retry now completes.
    await waitFor(async () => (await fetch(`${victim.base}/health`)).ok, 'the holder serving again');
    await new Promise((r) => setTimeout(r, 1000)); // and back in the balancer
    const done = await manual(alice, retry);
    assert.match(text(done as never), /content=\{"answer":"late"\}/);
  });

  it('a retry for a call held by a replica that died gets an error saying the call was lost', async () => {
    await using alice = await modern(cluster.lb.url, 'alice');
    const params = { name: 'test_elicitation', arguments: { message: 'still there?' } };
    const first = await manual(alice, params);
    const holder = calls(alice)[0]!;
    const victim = cluster.replicas.find((_, i) => `r${i + 1}` === holder)!;
    process.kill(victim.pid, 'SIGKILL');
    await victim.exited;
    const [key] = Object.keys(first['inputRequests'] as object);
    const started = Date.now();
    await assert.rejects(
      manual(alice, { ...params, inputResponses: { [key!]: { action: 'accept' } }, requestState: first['requestState'] }),
      (err: Error) => {
        assert.match(err.message, new RegExp(`replica holding this call \\(${holder}\\) is not connected to the shared Redis`));
        assert.match(err.message, /the call waiting for input is lost: send the request again without requestState/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 15_000, 'the error comes at once, not after a request timeout');
    assert.notEqual(calls(alice).at(-1), holder);
  });
});
