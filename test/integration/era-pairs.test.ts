// Every pairing of client era and backend era through one gateway (issue 5): list + call, and the
// backend asking the calling client for input (elicitation, sampling, roots), whichever way each
// side speaks: 2025-era server→client requests, or 2026-07-28 input_required results.
//   client 2025 ↔ backend 2025: relayed on the call's stream (CallSink)
//   client 2026 ↔ backend 2025: the input bridge (edge/input-bridge.ts) turns the backend's
//                               request into input_required and the retry into its answer
//   client 2025 ↔ backend 2026: the backend Client fulfils input_required by relaying to the client
//   client 2026 ↔ backend 2026: input_required passes through; the retry's fields go back down
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { connectClient, FIXTURES, spawnFixture, startGateway, stdioBackend, text, waitFor, type Fixture } from '../helpers/gateway.js';
import { ModernEndpoint } from '../../src/edge/modern-endpoint.js';
import type { Principal } from '../../src/auth/types.js';

type Era = 'legacy' | '2026-07-28';
const CAPS = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };
const legacyBackend = stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio']);

// Stands in for incoming auth (these gateways have none configured): a request carrying the test
// header is treated as that principal, so the binding of requestState to a principal is tested at
// the front door.
const handle = ModernEndpoint.prototype.handle;
ModernEndpoint.prototype.handle = function (req, res, body, principal) {
  const subject = req.headers['x-test-principal'];
  const asserted: Principal | undefined = typeof subject === 'string' ? { kind: 'api-key', subject, scopes: [], claims: {} } : undefined;
  return handle.call(this, req, res, body, asserted ?? principal);
};

/** A client that answers the backend's requests for input, recording `who:method` in `seen`. */
async function answering(url: string, era: Era, who: string, seen: string[]): Promise<Client & AsyncDisposable> {
  const client = await connectClient(url, { era, capabilities: CAPS, name: who });
  client.setRequestHandler('elicitation/create', async (req) => {
    if (req.params.mode === 'url') {
      seen.push(`${who}:url:${'elicitationId' in req.params ? 'with-id' : 'no-id'}`);
      return { action: 'accept' };
    }
    seen.push(`${who}:elicitation`);
    return { action: 'accept', content: { username: who, email: `${who}@example.com`, answer: `${who}'s answer` } };
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    seen.push(`${who}:sampling`);
    return { model: `model-${who}`, role: 'assistant', content: { type: 'text', text: `from ${who}` } };
  });
  client.setRequestHandler('roots/list', async () => {
    seen.push(`${who}:roots`);
    return { roots: [{ uri: `file:///home/${who}` }] };
  });
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  text((await client.request({ method: 'tools/call', params: { name, arguments: args } })) as never);

/** A 2026-07-28 client that sends `principal` as the test header and handles input_required itself. */
async function manualClient(url: string, principal: string): Promise<Client & AsyncDisposable> {
  const client = new Client(
    { name: principal, version: '1.0.0' },
    { capabilities: CAPS, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { 'x-test-principal': principal } } }));
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

const manual = (client: Client, params: Record<string, unknown>) =>
  client.request({ method: 'tools/call', params: params as never }, { allowInputRequired: true }) as Promise<Record<string, unknown>>;

describe('era pairs against a 2025-era backend (conformance-backend.mjs over stdio)', () => {
  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`${era === 'legacy' ? '2025' : '2026'} client: list, call, elicitation and sampling answered by that client`, async () => {
      await using gw = await startGateway({ name: 'pairs', backends: [legacyBackend] });
      const seen: string[] = [];
      await using a = await answering(gw.url, era, 'a', seen);
      await using b = await answering(gw.url, era, 'b', seen);
      assert.equal(a.getNegotiatedProtocolVersion(), era === 'legacy' ? '2025-11-25' : '2026-07-28');
      const { tools } = await a.listTools();
      assert.ok(tools.some((t) => t.name === 'conf_test_elicitation'));
      assert.equal(await call(a, 'conf_test_simple_text'), 'This is a simple text response for testing.');
      assert.match(await call(a, 'conf_test_elicitation', { message: 'who?' }), /action=accept, content=\{"username":"a"/);
      assert.match(await call(b, 'conf_test_sampling', { prompt: 'hi' }), /LLM response: from b/);
      assert.deepEqual(seen, ['a:elicitation', 'b:sampling']);
    });
  }

  it('2026 client: progress of a call reaches it', async () => {
    await using gw = await startGateway({ name: 'pairs', backends: [legacyBackend] });
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    const progress: number[] = [];
    await client.request(
      { method: 'tools/call', params: { name: 'conf_test_tool_with_progress', arguments: {} } },
      { onprogress: (p) => void progress.push(p.progress) },
    );
    assert.deepEqual(progress, [0, 50, 100]);
  });

  it('2026 client: requestState is unguessable, bound to its principal, one round only', async () => {
    await using gw = await startGateway({ name: 'pairs', backends: [legacyBackend] });
    await using alice = await manualClient(gw.url, 'alice');
    await using bob = await manualClient(gw.url, 'bob');
    const params = { name: 'conf_test_elicitation', arguments: { message: 'name?' } };
    const first = await manual(alice, params);
    assert.equal(first['resultType'], 'input_required');
    const requests = first['inputRequests'] as Record<string, { method: string; params: Record<string, unknown> }>;
    const [key, request] = Object.entries(requests)[0]!;
    assert.equal(request.method, 'elicitation/create');
    assert.equal(request.params['message'], 'name?');
    const state = first['requestState'] as string;
    assert.match(state, /^vmcp-ir\.[\w-]{22}$/, '128 random bits');
    const inputResponses = { [key]: { action: 'accept', content: { username: 'alice', email: 'a@example.com' } } };
    const invalid = /Invalid or expired requestState/;
    await assert.rejects(manual(alice, { ...params, inputResponses, requestState: 'vmcp-ir.AAAAAAAAAAAAAAAAAAAAAA' }), invalid);
    await assert.rejects(manual(alice, { ...params, inputResponses, requestState: 'forged-by-hand' }), invalid);
    await assert.rejects(manual(bob, { ...params, inputResponses, requestState: state }), invalid, "bob cannot use alice's requestState");
    await assert.rejects(
      manual(alice, { ...params, name: 'conf_test_sampling', inputResponses, requestState: state }),
      invalid,
      'another tool',
    );
    const done = await manual(alice, { ...params, inputResponses, requestState: state });
    assert.match(text(done as never), /action=accept, content=\{"username":"alice"/);
    await assert.rejects(manual(alice, { ...params, inputResponses, requestState: state }), invalid, 'used up');
  });
});

describe('era pairs against a 2026-07-28 backend (modern-backend.mjs over HTTP)', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await spawnFixture(`${FIXTURES}/modern-backend.mjs`);
  });
  after(() => fixture.close());
  const config = () => ({
    name: 'pairs',
    backends: [{ name: 'modern', transport: 'streamable-http', url: fixture.url, protocolVersion: '2026-07-28' }],
  });

  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`${era === 'legacy' ? '2025' : '2026'} client: list, call, elicitation, sampling and roots answered by that client`, async () => {
      await using gw = await startGateway(config());
      assert.equal(gw.connectors[0]?.info?.protocolVersion, '2026-07-28');
      const seen: string[] = [];
      await using a = await answering(gw.url, era, 'a', seen);
      await using b = await answering(gw.url, era, 'b', seen);
      const { tools } = await a.listTools();
      assert.deepEqual(
        tools
          .map((t) => t.name)
          .filter((n) => !['modern_add_tool', 'modern_late'].includes(n))
          .sort(),
        ['modern_ask', 'modern_echo', 'modern_progress', 'modern_roots', 'modern_sample', 'modern_visit'],
      );
      assert.equal(await call(a, 'modern_echo', { message: 'hello' }), 'hello');
      assert.equal(await call(a, 'modern_ask', { question: 'why?' }), "user said: a's answer");
      assert.equal(await call(b, 'modern_sample', { prompt: 'hi' }), 'model model-b said: from b');
      assert.equal(await call(a, 'modern_roots'), 'roots: file:///home/a');
      assert.equal(await call(b, 'modern_visit', { url: 'https://idp.example/login' }), 'visit: accept');
      // A 2025-era URL elicitation needs an elicitationId (the 2026-07-28 one has none).
      assert.deepEqual(seen, ['a:elicitation', 'b:sampling', 'a:roots', `b:url:${era === 'legacy' ? 'with-id' : 'no-id'}`]);
      const progress: number[] = [];
      await a.request(
        { method: 'tools/call', params: { name: 'modern_progress', arguments: {} } },
        { onprogress: (p) => void progress.push(p.progress) },
      );
      assert.deepEqual(progress, [0, 50, 100]);
    });
  }

  it('stays healthy under health probes (ping, gone in 2026-07-28, goes out as server/discover)', async () => {
    const health = { interval: '200ms', timeout: '150ms' };
    await using gw = await startGateway({ ...config(), backends: [{ ...config().backends[0], health }] });
    await waitFor(
      () => ((gw.monitor.get('modern')?.lastCheck ?? 0) > 0 && gw.monitor.get('modern')!.consecutiveFailures === 0 ? true : undefined),
      'a probe',
    );
    await new Promise((r) => setTimeout(r, 400));
    const record = gw.monitor.get('modern');
    assert.equal(record?.state, 'healthy', JSON.stringify(record));
    assert.equal(record?.consecutiveFailures, 0);
  });

  it('a change of its tool list (announced on subscriptions/listen) reaches clients of both eras', async () => {
    await using gw = await startGateway(config());
    await using legacy = await connectClient(gw.url, { era: 'legacy' });
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    const told: string[] = [];
    legacy.setNotificationHandler('notifications/tools/list_changed', () => void told.push('2025'));
    modern.setNotificationHandler('notifications/tools/list_changed', () => void told.push('2026'));
    const listening = await modern.listen({ toolsListChanged: true });
    try {
      assert.equal(await call(legacy, 'modern_add_tool', { name: 'late' }), 'added late');
      await waitFor(() => told.length === 2, 'list_changed at both clients');
    } finally {
      await listening.close();
    }
    assert.deepEqual(told.sort(), ['2025', '2026']);
    for (const client of [legacy, modern]) {
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'modern_late'));
    }
  });

  it("2026 client: the backend's input_required passes through unchanged, with the gateway's identity", async () => {
    await using gw = await startGateway(config());
    await using client = await manualClient(gw.url, 'carol');
    const params = { name: 'modern_ask', arguments: { question: 'colour?' } };
    const first = await manual(client, params);
    assert.equal(first['resultType'], 'input_required');
    assert.deepEqual(Object.keys(first['inputRequests'] as object), ['answer'], "the backend's own key");
    assert.equal(first['requestState'], undefined, 'the backend issued none, the gateway adds none');
    const done = await manual(client, { ...params, inputResponses: { answer: { action: 'accept', content: { answer: 'blue' } } } });
    assert.equal(text(done as never), 'user said: blue');
    for (const result of [first, done]) {
      const meta = result['_meta'] as Record<string, { name?: string }>;
      assert.equal(meta['io.modelcontextprotocol/serverInfo']?.name, 'pairs', 'the gateway, not the backend, answered');
    }
  });
});
