// passthroughHeaders end to end: a client's listed headers reach an HTTP backend on every request
// (its discovery and its calls), refused and unlisted ones do not, and two callers with different
// values get different backend sessions; the file is refused when it names a dangerous header.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, freePort, spawnFixture, startGateway } from '../helpers/gateway.js';
import { startOidc } from '../helpers/oidc.js';
import { loadConfigText } from '../../src/config/index.js';

interface Seen {
  session: string;
  headers: Record<string, string>;
  firstList: Record<string, string>;
}

const seen = (r: Record<string, unknown>) => r['structuredContent'] as Seen;

describe('passthroughHeaders', () => {
  it('copies the listed client headers to the backend, keeps the rest, and never shares a session across values', async () => {
    await using backend = await spawnFixture(`${FIXTURES}/header-echo.mjs`, ['--transport', 'streamable-http']);
    await using sse = await spawnFixture(`${FIXTURES}/header-echo.mjs`, ['--transport', 'sse']);
    await using gw = await startGateway({
      name: 'pt',
      passthroughHeaders: ['X-Tenant', 'x-request-id'],
      backends: [
        { name: 'echo', transport: 'streamable-http', url: backend.url, headers: { 'x-request-id': 'gateway-wins' } },
        { name: 'sse', transport: 'sse', url: sse.url },
      ],
    });
    const call = async (headers: Record<string, string>) => {
      await using client = await connectClient(gw.url, { headers });
      return seen(await client.callTool({ name: 'echo_headers', arguments: {} }));
    };
    const extra = { 'x-unlisted': 'nope', 'x-forwarded-for': '10.0.0.1', cookie: 'c=1' };
    const a = await call({ 'X-Tenant': 'acme', 'x-request-id': 'client', ...extra });
    assert.equal(a.headers['x-tenant'], 'acme');
    assert.equal(a.firstList['x-tenant'], 'acme', "the caller's own session discovered with its headers");
    assert.equal(a.headers['x-request-id'], 'gateway-wins', "a backend's configured header keeps the gateway's value");
    for (const name of Object.keys(extra)) assert.equal(a.headers[name], undefined, `${name} must not reach the backend`);

    {
      await using client = await connectClient(gw.url, { headers: { 'X-Tenant': 'acme', cookie: 'c=1' } });
      const viaSse = seen(await client.callTool({ name: 'sse_headers', arguments: {} }));
      assert.equal(viaSse.headers['x-tenant'], 'acme', 'the SSE transport carries them too');
      assert.equal(viaSse.headers['cookie'], undefined);
    }

    const b = await call({ 'X-Tenant': 'globex' });
    assert.equal(b.headers['x-tenant'], 'globex');
    assert.notEqual(b.session, a.session, 'different values, different backend sessions');

    const again = await call({ 'X-Tenant': 'acme', 'x-request-id': 'client' });
    assert.equal(again.session, a.session, 'the same values reuse the backend session');

    const none = await call({});
    assert.equal(none.headers['x-tenant'], undefined);
    assert.notEqual(none.session, a.session, 'a caller without values uses the shared session');
  });

  it("keys a per-user backend's sessions on the user and the header values", async () => {
    await using idp = await startOidc();
    await using backend = await spawnFixture(`${FIXTURES}/header-echo.mjs`, ['--transport', 'streamable-http']);
    const port = await freePort();
    const audience = `http://127.0.0.1:${port}/mcp`;
    await using gw = await startGateway({
      name: 'pt-user',
      server: { port },
      passthroughHeaders: ['X-Tenant'],
      incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience } },
      outgoingAuth: { default: { type: 'token_passthrough', tokenPassthrough: { headerName: 'X-User-Token' } } },
      backends: [{ name: 'echo', transport: 'streamable-http', url: backend.url }],
    });
    const call = async (sub: string, tenant: string) => {
      const token = await idp.mintAccessToken({ sub, aud: audience, scope: 'mcp:tools' });
      await using client = await connectClient(gw.url, { headers: { authorization: `Bearer ${token}`, 'x-tenant': tenant } });
      const r = seen(await client.callTool({ name: 'echo_headers', arguments: {} }));
      assert.match(r.headers['x-user-token'] ?? '', /\S/, "the user's own credential");
      assert.equal(r.headers['x-tenant'], tenant);
      assert.equal(r.headers['authorization'], undefined, "the caller's Authorization is never copied");
      return r.session;
    };
    const aliceAcme = await call('alice', 'acme');
    assert.equal(await call('alice', 'acme'), aliceAcme, 'same user, same values: one backend session');
    assert.notEqual(await call('alice', 'globex'), aliceAcme, 'same user, other values: another session');
    assert.notEqual(await call('bob', 'acme'), aliceAcme, 'other user, same values: another session');
  });

  it('refuses hop-by-hop, Host, X-Forwarded-*, credentials and MCP session headers, naming each and why', () => {
    const bad = [
      'Connection',
      'Proxy-Authorization',
      'Host',
      'Content-Length',
      'X-Forwarded-Host',
      'Authorization',
      'Cookie',
      'Mcp-Session-Id',
    ];
    const { config, issues } = loadConfigText(
      JSON.stringify({
        name: 'x',
        passthroughHeaders: [...bad, 'X-Tenant'],
        backends: [{ name: 'h', transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' }],
      }),
      { source: '/tmp/x.yaml', env: {} },
    );
    assert.equal(config, undefined);
    const errors = issues.filter((i) => i.severity === 'error');
    assert.equal(errors.length, bad.length, errors.map((e) => e.message).join('\n'));
    bad.forEach((name, i) => {
      const e = errors.find((x) => x.path === `passthroughHeaders[${i}]`);
      assert.ok(e, `no error for ${name}`);
      assert.match(e.message, new RegExp(`"${name}" cannot be passed through to backends: \\S`));
    });
    assert.match(errors.find((e) => e.path === 'passthroughHeaders[5]')!.message, /credentials/);
    assert.match(errors.find((e) => e.path === 'passthroughHeaders[0]')!.message, /hop-by-hop/);
  });

  it('warns when every backend is stdio', () => {
    const { config, issues } = loadConfigText(
      JSON.stringify({ name: 'x', passthroughHeaders: ['X-Tenant'], backends: [{ name: 's', transport: 'stdio', command: 'node' }] }),
      { source: '/tmp/x.yaml', env: {} },
    );
    assert.ok(config);
    assert.ok(issues.some((i) => i.severity === 'warning' && i.path === 'passthroughHeaders' && /stdio/.test(i.message)));
  });
});
