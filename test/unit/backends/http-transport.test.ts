// The Streamable HTTP backend transport against real MCP servers (the fixtures over real sockets):
// session handling, JSON and SSE answers, the result bound, origins of mid-call messages, error
// summaries, DELETE on close, and no listener leak over thousands of calls.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ProtocolError, SdkHttpError } from '@modelcontextprotocol/client';
import { HttpBackendTransport, type HttpTransportOptions } from '../../../src/backends/http-transport.js';
import { connectionIsGone } from '../../../src/backends/errors.js';
import { FIXTURES, spawnFixture, text, type Fixture } from '../../helpers/gateway.js';

async function connect(url: string, extra: Partial<HttpTransportOptions> = {}) {
  const transport = new HttpBackendTransport({ url: new URL(url), backend: 'b', ...extra });
  const client = new Client({ name: 't', version: '1' }, { capabilities: {} });
  await client.connect(transport);
  return { client, transport };
}

const echo = (client: Client, message: string) =>
  client.request({ method: 'tools/call', params: { name: 'echo', arguments: { message } } }) as Promise<Record<string, unknown>>;

for (const mode of ['sse', 'json'] as const) {
  describe(`HttpBackendTransport, ${mode} answers`, () => {
    let fx: Fixture;
    before(async () => {
      fx = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http', ...(mode === 'json' ? ['--json-response'] : [])]);
    });
    after(() => fx.close());

    it('initializes a session and calls tools on it', async () => {
      const { client, transport } = await connect(fx.url);
      assert.ok(transport.sessionId, 'the session id from the initialize answer is kept');
      assert.equal(transport.protocolVersion, client.getNegotiatedProtocolVersion());
      assert.equal(text(await echo(client, 'hi')), 'hi');
      await client.close();
    });

    it('fails an oversized result alone: the connection and later calls go on', async () => {
      const { client } = await connect(fx.url, { maxResultBytes: 4096 });
      const big = 'x'.repeat(10_000);
      const [failed, small] = await Promise.allSettled([echo(client, big), echo(client, 'small')]);
      assert.equal(failed.status, 'rejected');
      const err = (failed as PromiseRejectedResult).reason as ProtocolError;
      assert.ok(err instanceof ProtocolError);
      assert.equal((err.data as { code?: string }).code, 'VMCP_RESULT_TOO_LARGE');
      assert.match(err.message, /Backend "b" sent a result larger than maxResultBytes \(4096 bytes\)/);
      assert.equal(small.status, 'fulfilled');
      assert.equal(text(await echo(client, 'after')), 'after');
      await client.close();
    });

    it('DELETEs its session on close, and a lost session is a 404 the connector reconnects on', async () => {
      const { client, transport } = await connect(fx.url);
      const other = await connect(fx.url);
      // The backend forgets the session (as a restarted server does).
      await fetch(fx.url, { method: 'DELETE', headers: { 'mcp-session-id': transport.sessionId! } }).then((r) => r.body?.cancel());
      const err = await echo(client, 'hi').catch((e: unknown) => e);
      assert.ok(err instanceof SdkHttpError && err.status === 404, String(err));
      assert.ok(connectionIsGone(err));
      const id = other.transport.sessionId!;
      await other.client.close();
      const res = await fetch(fx.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': id },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      await res.body?.cancel();
      assert.equal(res.status, 404, 'the closed session is gone on the server');
      await client.close();
    });
  });
}

describe('HttpBackendTransport, errors and bookkeeping', () => {
  it('summarises a refusal: status and a short reason, never the body or a credential', async () => {
    await using fx = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--token', 'right-token']);
    const err = await connect(fx.url, { headers: { Authorization: 'Bearer wrong-token-value' } }).catch((e: unknown) => e);
    assert.ok(err instanceof SdkHttpError, String(err));
    assert.equal(err.status, 401);
    assert.match(err.message, /^Backend "b" answered initialize with HTTP 401 Unauthorized/);
    assert.doesNotMatch(err.message, /wrong-token-value/);
    assert.ok(err.message.length < 250);
  });

  it('adds per-request auth headers from the header source, asked fresh each time', async () => {
    await using fx = await spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--token', 'right-token']);
    let asked = 0;
    const { client } = await connect(fx.url, { authHeaders: async () => (asked++, { authorization: 'Bearer right-token' }) });
    const before = asked;
    const r = (await client.request({ method: 'tools/call', params: { name: 'whoami', arguments: {} } })) as Record<string, unknown>;
    assert.equal(text(r), 'needs-auth:whoami');
    assert.ok(asked > before);
    await client.close();
  });

  it('records the POSTed request a mid-call notification arrived under', async () => {
    await using fx = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'streamable-http']);
    const { client, transport } = await connect(fx.url);
    const sent: unknown[] = [];
    const origins: unknown[] = [];
    const send = transport.send.bind(transport);
    transport.send = (m, o) => (sent.push((m as { id?: unknown }).id), send(m, o));
    const next = transport.onmessage!;
    transport.onmessage = (m, extra) => {
      if ((m as { method?: string }).method === 'notifications/tools/list_changed') origins.push(transport.originOf(m));
      next(m, extra);
    };
    await client.request({ method: 'tools/call', params: { name: 'add_tool', arguments: { name: 'x' } } });
    assert.equal(origins.length, 1);
    assert.equal(origins[0], sent.at(-1), 'the list_changed came on the add_tool call stream');
    await client.close();
  });

  it('leaves no listener behind: 2,000 calls raise no process warning', async () => {
    await using fx = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http', '--json-response']);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const { client } = await connect(fx.url);
      for (let i = 0; i < 2000; i++) await echo(client, 'hi');
      await client.close();
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });
});
