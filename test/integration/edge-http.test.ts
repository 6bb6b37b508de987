// The HTTP edge against bad input of every kind: each gets the right status and a JSON-RPC error
// naming what was wrong, and the gateway keeps serving other sessions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { z } from 'zod';
import { connectClient, FIXTURES, startGateway, stdioBackend, text, type TestGateway } from '../helpers/gateway.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...headers }, body });
  const raw = await res.text();
  const data =
    raw.startsWith('event:') || raw.includes('\ndata: ') ? JSON.parse(/data: (.*)/.exec(raw)![1]!) : raw ? JSON.parse(raw) : undefined;
  return { status: res.status, data, headers: res.headers };
}

/** fetch() may not set Host, so this one goes through node:http. */
function rawPost(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...HEADERS, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function openSession(url: string): Promise<string> {
  const res = await post(url, JSON.stringify(INIT));
  const sid = res.headers.get('mcp-session-id')!;
  await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
    'mcp-session-id': sid,
    'mcp-protocol-version': '2025-11-25',
  });
  return sid;
}

describe('HTTP edge', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      name: 'edge',
      server: { maxRequestBodyBytes: 4096 },
      backends: [
        stdioBackend('alpha', `${FIXTURES}/named.mjs`, [], {
          env: { NAMED_SPEC: JSON.stringify({ name: 'alpha', tools: [{ name: 'greet' }] }) },
        }),
      ],
    });
  });
  after(() => gw.close());

  it('answers /health and /ping, and 404 elsewhere', async () => {
    const base = gw.url.replace(/\/mcp$/, '');
    for (const path of ['/health', '/ping']) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    }
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  });

  it('rejects malformed JSON with 400 and -32700', async () => {
    const res = await post(gw.url, '{"jsonrpc": "2.0", "id": 1, "method": ');
    assert.equal(res.status, 400);
    assert.equal(res.data.error.code, -32700);
    assert.match(res.data.error.message, /not valid JSON/);
  });

  it('rejects bodies that are not JSON-RPC with 400 and -32600 saying why', async () => {
    for (const [body, why] of [
      ['{"hello":"world"}', /jsonrpc/],
      ['[]', /empty batch/],
      ['42', /object/],
      ['{"jsonrpc":"2.0","id":1,"method":""}', /method/],
    ] as const) {
      const res = await post(gw.url, body);
      assert.equal(res.status, 400, body);
      assert.equal(res.data.error.code, -32600, body);
      assert.match(res.data.error.message, why);
    }
  });

  it('rejects oversized bodies with 413 naming the limit', async () => {
    const res = await post(gw.url, JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(10_000) } }));
    assert.equal(res.status, 413);
    assert.match(res.data.error.message, /4096-byte limit/);
  });

  it('rejects a non-JSON content type with 415', async () => {
    const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(res.status, 415);
  });

  it('applies the Mcp-Session-Id rules: missing → 400, unknown → 404, deleted → 404', async () => {
    const call = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    const missing = await post(gw.url, call, { 'mcp-protocol-version': '2025-11-25' });
    assert.equal(missing.status, 400);
    assert.match(missing.data.error.message, /Mcp-Session-Id/);
    const unknown = await post(gw.url, call, { 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' });
    assert.equal(unknown.status, 404);
    const sid = await openSession(gw.url);
    const ok = await post(gw.url, call, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    assert.equal(ok.status, 200);
    assert.equal(ok.data.result.tools[0].name, 'alpha_greet');
    const del = await fetch(gw.url, { method: 'DELETE', headers: { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' } });
    assert.equal(del.status, 200);
    const after = await post(gw.url, call, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    assert.equal(after.status, 404);
  });

  it('answers wrong parameter types with -32602 naming the field, and unknown methods with -32601', async () => {
    await using client = await connectClient(gw.url);
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 123 as never, arguments: {} } }),
      (e: Error & { code?: number }) => e.code === -32602 && /params\.name/.test(e.message),
    );
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: 'x' as never } }),
      /params\.arguments must be an object/,
    );
    await assert.rejects(client.request({ method: 'resources/read', params: {} as never }), /params\.uri/);
    await assert.rejects(
      client.request({ method: 'vendor/unknown', params: {} }, z.looseObject({})),
      (e: Error & { code?: number }) => e.code === -32601,
    );
    const r = await client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } });
    assert.equal(text(r as never), 'alpha:greet:{}', 'the same session still works after bad requests');
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) but serves loopback ones', async () => {
    const evilHost = await rawPost(gw.url, JSON.stringify(INIT), { host: 'evil.example.com' });
    assert.equal(evilHost, 403);
    const evilOrigin = await post(gw.url, JSON.stringify(INIT), { origin: 'http://evil.example.com' });
    assert.equal(evilOrigin.status, 403);
    const good = await post(gw.url, JSON.stringify(INIT), { origin: 'http://localhost:1234' });
    assert.equal(good.status, 200);
  });

  it('keeps serving other sessions while one sends garbage', async () => {
    await using client = await connectClient(gw.url);
    const garbage = Promise.all(Array.from({ length: 20 }, () => post(gw.url, '{nope')));
    const calls = Promise.all(
      Array.from({ length: 20 }, () => client.request({ method: 'tools/call', params: { name: 'alpha_greet', arguments: {} } })),
    );
    const [bad, good] = await Promise.all([garbage, calls]);
    assert.ok(bad.every((r) => r.status === 400));
    assert.ok(good.every((r) => text(r as never) === 'alpha:greet:{}'));
  });
});

describe('session expiry', () => {
  it('expires idle sessions after server.sessionTtl (404 afterwards)', async () => {
    await using gw = await startGateway({ name: 'ttl', server: { sessionTtl: '400ms' }, backends: [] });
    const sid = await openSession(gw.url);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} });
    const h = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    assert.equal((await post(gw.url, list, h)).status, 200);
    await new Promise((r) => setTimeout(r, 900));
    assert.equal((await post(gw.url, list, h)).status, 404);
  });
});
