// The needs-auth fixture behaves like a per-user-OAuth MCP server: every request without the
// bearer token gets 401 (or 403) with an RFC 9728 resource_metadata pointer, and with the token it
// is an ordinary MCP server. Gateway health tests rely on exactly this (health-semantics.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { FIXTURES, spawnFixture, text } from '../helpers/gateway.js';

const SCRIPT = `${FIXTURES}/needs-auth.mjs`;

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
};

function postInitialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(INITIALIZE),
  });
}

async function connect(url: string, token: string): Promise<Client & AsyncDisposable> {
  const client = new Client({ name: 'needs-auth-test', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

describe('needs-auth fixture', () => {
  it('answers 401 with WWW-Authenticate to a request without a token', async () => {
    await using fixture = await spawnFixture(SCRIPT, ['--port', '0']);
    const origin = new URL(fixture.url).origin;
    const res = await postInitialize(fixture.url);
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer realm="needs-auth", resource_metadata="${origin}/.well-known/oauth-protected-resource"`,
    );
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(typeof ((await res.json()) as { error?: unknown }).error, 'string');

    const wrong = await postInitialize(fixture.url, { authorization: 'Bearer not-it' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    for (const method of ['GET', 'DELETE']) {
      assert.equal((await fetch(fixture.url, { method })).status, 401, `${method} is protected too`);
    }

    const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource`);
    assert.equal(metadata.status, 200);
    const doc = (await metadata.json()) as { resource?: string; bearer_methods_supported?: string[] };
    assert.equal(doc.resource, fixture.url);
    assert.deepEqual(doc.bearer_methods_supported, ['header']);
  });

  it('serves whoami and echo to a client with the token', async () => {
    await using fixture = await spawnFixture(SCRIPT);
    await using client = await connect(fixture.url, 'let-me-in');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['echo', 'whoami']);
    assert.equal(text(await client.callTool({ name: 'whoami', arguments: {} })), 'needs-auth:whoami');
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })), 'hi');
  });

  it('takes its token from --token and answers 403 in --mode 403', async () => {
    await using fixture = await spawnFixture(SCRIPT, ['--token', 's3cret', '--mode', '403']);
    const res = await postInitialize(fixture.url, { authorization: 'Bearer let-me-in' });
    assert.equal(res.status, 403);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer realm="needs-auth", .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"$/,
    );
    assert.equal((await postInitialize(fixture.url)).status, 403);
    await using client = await connect(fixture.url, 's3cret');
    assert.equal(text(await client.callTool({ name: 'whoami', arguments: {} })), 'needs-auth:whoami');
  });

  it('exits 0 on SIGTERM', async () => {
    const fixture = await spawnFixture(SCRIPT);
    const exited = new Promise<number | null>((resolve) => fixture.proc.once('exit', (code) => resolve(code)));
    fixture.proc.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
