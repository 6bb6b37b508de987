// The input bridge on its own: rounds, requestState rules (random, one round, bound to principal,
// method and name, TTL), the cap on parked calls, close(), and the exchange-scoped channels.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputBridge, type BridgedCall, type Exchange } from '../../../src/edge/input-bridge.js';
import type { Principal } from '../../../src/auth/types.js';
import type { JsonObject, RpcNotification } from '../../../src/backends/connector.js';

const alice: Principal = { kind: 'oidc', subject: 'alice', issuer: 'https://idp.example', scopes: [], claims: {} };
const mallory: Principal = { kind: 'oidc', subject: 'alice', issuer: 'https://evil.example', scopes: [], claims: {} };
const id = (principal?: Principal) => ({ method: 'tools/call', target: 'conf_ask', ...(principal ? { principal } : {}) });
const elicit = (message: string) => ({
  method: 'elicitation/create',
  params: { message, requestedSchema: { type: 'object', properties: {} } },
});

function exchange(progressToken?: string): Exchange & { seen: RpcNotification[]; abort(): void } {
  const controller = new AbortController();
  const seen: RpcNotification[] = [];
  return {
    signal: controller.signal,
    progressToken,
    seen,
    abort: () => controller.abort(new Error('client cancelled')),
    notify: async (n) => void seen.push(n),
  };
}

interface InputRequired {
  resultType: string;
  inputRequests: Record<string, { method: string; params?: JsonObject }>;
  requestState: string;
}
const asInput = (r: JsonObject) => r as unknown as InputRequired;
const INVALID = /Invalid or expired requestState/;

/** A backend call that asks twice, one question at a time, then answers with both replies. */
async function twoQuestions(call: BridgedCall): Promise<JsonObject> {
  const first = await call.ask(elicit('first?'));
  const second = await call.ask(elicit('second?'));
  return { content: [{ type: 'text', text: `${JSON.stringify(first)} ${JSON.stringify(second)}` }] };
}

describe('InputBridge', () => {
  it('runs a call over as many rounds as the backend asks, with a fresh requestState each round', async () => {
    const bridge = new InputBridge();
    const r1 = asInput(await bridge.start(id(alice), exchange(), twoQuestions));
    assert.equal(r1.resultType, 'input_required');
    assert.deepEqual(
      Object.values(r1.inputRequests).map((r) => r.params?.['message']),
      ['first?'],
    );
    const [k1] = Object.keys(r1.inputRequests);
    const r2 = asInput(await bridge.resume(r1.requestState, id(alice), { [k1!]: { action: 'accept', content: { n: 1 } } }, exchange()));
    assert.notEqual(r2.requestState, r1.requestState);
    assert.deepEqual(
      Object.values(r2.inputRequests).map((r) => r.params?.['message']),
      ['second?'],
    );
    await assert.rejects(bridge.resume(r1.requestState, id(alice), {}, exchange()), INVALID, 'a requestState is good for one round');
    const [k2] = Object.keys(r2.inputRequests);
    const done = await bridge.resume(r2.requestState, id(alice), { [k2!]: { action: 'decline' } }, exchange());
    assert.match(JSON.stringify(done), /\{\\"action\\":\\"accept\\",\\"content\\":\{\\"n\\":1\}\} \{\\"action\\":\\"decline\\"\}/);
    assert.equal(bridge.size, 0);
  });

  it('sends requests made together in one round and asks again for any left unanswered', async () => {
    const bridge = new InputBridge();
    const both = async (call: BridgedCall) => {
      const [a, b] = await Promise.all([call.ask(elicit('a?')), call.ask({ method: 'roots/list' })]);
      return { a, b } as JsonObject;
    };
    const r1 = asInput(await bridge.start(id(), exchange(), both));
    const keys = Object.keys(r1.inputRequests);
    assert.deepEqual(keys, ['elicitation-1', 'roots-2']);
    assert.deepEqual(r1.inputRequests['roots-2'], { method: 'roots/list' });
    const r2 = asInput(await bridge.resume(r1.requestState, id(), { 'elicitation-1': { action: 'cancel' } }, exchange()));
    assert.deepEqual(Object.keys(r2.inputRequests), ['roots-2']);
    const done = await bridge.resume(r2.requestState, id(), { 'roots-2': { roots: [] } }, exchange());
    assert.deepEqual(done, { a: { action: 'cancel' }, b: { roots: [] } });
  });

  it('binds a requestState to the principal, the method and the name; a wrong guess leaves the call parked', async () => {
    const bridge = new InputBridge();
    const r1 = asInput(await bridge.start(id(alice), exchange(), twoQuestions));
    await assert.rejects(bridge.resume(r1.requestState, id(mallory), {}, exchange()), INVALID, 'same subject, other issuer');
    await assert.rejects(bridge.resume(r1.requestState, id(), {}, exchange()), INVALID, 'anonymous');
    await assert.rejects(bridge.resume(r1.requestState, { ...id(alice), target: 'other' }, {}, exchange()), INVALID);
    await assert.rejects(bridge.resume(r1.requestState, { ...id(alice), method: 'prompts/get' }, {}, exchange()), INVALID);
    await assert.rejects(bridge.resume('vmcp-ir.unknown', id(alice), {}, exchange()), INVALID);
    assert.equal(bridge.size, 1);
    assert.ok(bridge.owns(r1.requestState) && !bridge.owns('backend-state') && !bridge.owns(undefined));
    bridge.close();
  });

  it('expires a parked call after its TTL and cancels the backend call', async () => {
    let now = 0;
    const bridge = new InputBridge({ ttlMs: 1000, now: () => now });
    let signal: AbortSignal | undefined;
    const r1 = asInput(
      await bridge.start(id(), exchange(), (call) => {
        signal = call.signal;
        return twoQuestions(call);
      }),
    );
    now = 1000;
    await assert.rejects(bridge.resume(r1.requestState, id(), {}, exchange()), INVALID);
    assert.equal(signal?.aborted, true);
    assert.equal(bridge.size, 0);
  });

  it('caps parked calls: beyond the cap the call is cancelled with an error saying so', async () => {
    const bridge = new InputBridge({ maxParked: 1 });
    await bridge.start(id(), exchange(), twoQuestions);
    let signal: AbortSignal | undefined;
    await assert.rejects(
      bridge.start(id(), exchange(), (call) => {
        signal = call.signal;
        return twoQuestions(call);
      }),
      /too many calls are waiting for client input \(limit 1\)/,
    );
    assert.equal(signal?.aborted, true);
    bridge.close();
    assert.equal(bridge.size, 0);
  });

  it('close() cancels parked calls and fails their held requests', async () => {
    const bridge = new InputBridge();
    let asked: Promise<JsonObject> | undefined;
    await bridge.start(id(), exchange(), (call) => (asked = call.ask(elicit('x?'))));
    bridge.close();
    await assert.rejects(asked!, /shutting down/);
    bridge.close(); // idempotent
  });

  it('lets the exchange in progress cancel the call, and no earlier one', async () => {
    const bridge = new InputBridge();
    const first = exchange();
    let signal: AbortSignal | undefined;
    const r1 = asInput(
      await bridge.start(id(), first, (call) => {
        signal = call.signal;
        return twoQuestions(call);
      }),
    );
    first.abort();
    assert.equal(signal?.aborted, false, 'the first exchange is over: the parked call is not bound to it');
    const second = exchange();
    const r2 = asInput(await bridge.resume(r1.requestState, id(), { 'elicitation-1': { action: 'accept' } }, second));
    const third = exchange();
    const last = bridge.resume(r2.requestState, id(), {}, third);
    third.abort();
    await assert.rejects(last);
    assert.equal(signal?.aborted, true);
  });

  it("sends progress with each exchange's own token and drops notifications while parked", async () => {
    const bridge = new InputBridge();
    let call!: BridgedCall;
    const first = exchange('t1');
    const r1 = asInput(
      await bridge.start(id(), first, async (c) => {
        call = c;
        await c.notify({ method: 'notifications/progress', params: { progressToken: 'backend', progress: 1 } });
        const reply = await c.ask(elicit('go?'));
        await c.notify({ method: 'notifications/message', params: { level: 'info', data: 'resumed' } });
        await c.notify({ method: 'notifications/progress', params: { progressToken: 'backend', progress: 2 } });
        return reply;
      }),
    );
    await call.notify({ method: 'notifications/message', params: { level: 'info', data: 'nobody listens' } });
    const second = exchange('t2');
    await bridge.resume(r1.requestState, id(), { 'elicitation-1': { action: 'accept' } }, second);
    assert.deepEqual(
      first.seen.map((n) => n.params?.['progressToken']),
      ['t1'],
    );
    assert.deepEqual(
      second.seen.map((n) => n.params?.['progressToken'] ?? n.params?.['data']),
      ['resumed', 't2'],
    );
  });

  it('names its replica in each requestState when replicas share sessions, and reads only a well-formed name back', async () => {
    const bridge = new InputBridge({ replicaId: 'pod-a.1' });
    const first = asInput(await bridge.start(id(alice), exchange(), twoQuestions));
    assert.match(first.requestState, /^vmcp-ir\.[\w-]{22}@pod-a\.1$/);
    assert.equal(bridge.replicaOf(first.requestState), 'pod-a.1');
    assert.equal(bridge.replicaOf('vmcp-ir.AAAAAAAAAAAAAAAAAAAAAA'), undefined, 'one replica: no name');
    assert.equal(bridge.replicaOf('vmcp-ir.AAAAAAAAAAAAAAAAAAAAAA@bad/name'), undefined);
    assert.equal(bridge.replicaOf(`vmcp-ir.AAAAAAAAAAAAAAAAAAAAAA@${'x'.repeat(101)}`), undefined);
    const [key] = Object.keys(first.inputRequests);
    const next = asInput(await bridge.resume(first.requestState, id(alice), { [key!]: { action: 'accept' } }, exchange()));
    assert.equal(bridge.replicaOf(next.requestState), 'pod-a.1', 'every round names the same replica');
    bridge.close();
  });
});
