// Identity end to end (issue 6) against a real OIDC provider (oidc-provider, in-process) and
// backends that verify tokens with jose: incoming OAuth resource server, outgoing token exchange,
// client credentials, header injection and pass-through, per-user discovery, Cedar policies, and
// secrets that never leak.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { startOidc, type OidcServer } from '../helpers/oidc.js';
import {
  connectClient,
  FIXTURES,
  freePort,
  spawnFixture,
  startGateway,
  text,
  waitFor,
  type Fixture,
  type TestGateway,
} from '../helpers/gateway.js';
import { subscribeLogger, type LogSubscription } from '../../src/app/logger.js';

const POLICY = `
@id("eng-everything") permit(principal in Group::"eng", action, resource);
@id("sales-service-only") permit(principal in Group::"sales", action == Action::"call_tool", resource in Backend::"service");
`;

describe('identity end to end', () => {
  let idp: OidcServer;
  let gw: TestGateway;
  let audience: string;
  const fixtures: Fixture[] = [];
  const logs = new PassThrough();
  let logText = '';
  let logSub: LogSubscription;
  const env = { ...process.env, TEST_IDP_SECRET: '', SERVICE_HEADER: 'Bearer let-me-in' };
  const token = async (sub: string, groups: string[], extra: Record<string, unknown> = {}) =>
    idp.mintAccessToken({ sub, aud: audience, scope: 'mcp:tools', claims: { groups }, ...extra });

  before(async () => {
    logs.on('data', (d: Buffer) => void (logText += d.toString()));
    logSub = subscribeLogger('trace', 'json', logs);
    idp = await startOidc();
    env.TEST_IDP_SECRET = idp.client.secret;
    const port = await freePort();
    audience = `http://127.0.0.1:${port}/mcp`;
    const jwt = (name: string, aud: string, tools: string) =>
      spawnFixture(`${FIXTURES}/jwt-backend.mjs`, ['--issuer', idp.issuer, '--audience', aud, '--name', name, '--tools', tools]);
    const [exchange, passthrough, service, header] = await Promise.all([
      jwt('exchange', 'urn:backend:exchange', 'x_search'),
      jwt('passthrough', audience, 'p_read'),
      jwt('service', 'urn:backend:service', 's_ping'),
      spawnFixture(`${FIXTURES}/needs-auth.mjs`, ['--port', '0', '--token', 'let-me-in']),
    ]);
    fixtures.push(exchange!, passthrough!, service!, header!);
    const cc = { tokenUrl: idp.tokenEndpoint, clientId: idp.client.id, clientSecretEnv: 'TEST_IDP_SECRET' };
    gw = await startGateway(
      {
        name: 'identity',
        server: { port },
        incomingAuth: {
          type: 'oidc',
          oidc: { issuer: idp.issuer, audience, scopes: ['mcp:tools'] },
          authz: { type: 'cedar', policies: [POLICY] },
        },
        outgoingAuth: {
          backends: {
            exchange: { type: 'token_exchange', tokenExchange: { ...cc, audience: 'urn:backend:exchange', scopes: ['mcp:tools'] } },
            passthrough: { type: 'token_passthrough', tokenPassthrough: { headerName: 'Authorization' } },
            service: { type: 'client_credentials', clientCredentials: { ...cc, audience: 'urn:backend:service' } },
            header: { type: 'header_injection', headerInjection: { headerName: 'Authorization', headerValueEnv: 'SERVICE_HEADER' } },
          },
        },
        backends: [
          { name: 'exchange', transport: 'streamable-http', url: exchange!.url, health: { interval: '1s', timeout: '900ms' } },
          { name: 'passthrough', transport: 'streamable-http', url: passthrough!.url, health: { interval: '1s', timeout: '900ms' } },
          { name: 'service', transport: 'streamable-http', url: service!.url, health: { interval: '1s', timeout: '900ms' } },
          { name: 'header', transport: 'streamable-http', url: header!.url, health: { interval: '1s', timeout: '900ms' } },
        ],
      },
      env,
    );
  });

  after(async () => {
    await gw?.close();
    await Promise.all(fixtures.map((f) => f.close()));
    await idp?.close();
    logSub?.close();
  });

  it('answers a request without a token with 401 and a working resource_metadata link', async () => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    const link = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    assert.ok(link, challenge);
    const doc = (await (await fetch(link)).json()) as { resource: string; authorization_servers: string[] };
    assert.equal(doc.resource, audience);
    assert.deepEqual(doc.authorization_servers, [idp.issuer]);
  });

  it('rejects expired, wrong-audience, wrong-issuer and badly signed tokens (401) and a missing scope (403)', async () => {
    const cases: [string, Promise<string>, number, RegExp][] = [
      ['expired', token('alice', ['eng'], { expiresIn: -60 }), 401, /expired/i],
      ['audience', idp.mintAccessToken({ sub: 'alice', aud: 'http://elsewhere/mcp', scope: 'mcp:tools' }), 401, /aud/i],
      ['issuer', token('alice', ['eng'], { iss: 'http://127.0.0.1:1/not-the-issuer' }), 401, /iss/i],
      ['signature', token('alice', ['eng'], { foreign: true }), 401, /signature/i],
      ['scope', idp.mintAccessToken({ sub: 'alice', aud: audience, scope: 'mcp:read' }), 403, /scope/i],
    ];
    for (const [what, t, status, why] of cases) {
      const res = await fetch(gw.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${await t}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
        }),
      });
      assert.equal(res.status, status, what);
      assert.match(`${res.headers.get('www-authenticate')} ${await res.text()}`, why, what);
      if (status === 403) assert.match(res.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    }
  });

  it('reports backends with service credentials healthy and per-user ones unauthenticated (routable)', async () => {
    const status = await waitFor(async () => {
      const s = (await (await fetch(gw.url.replace(/mcp$/, 'status'))).json()) as {
        phase: string;
        backends: { name: string; status: string }[];
      };
      return s.backends.every((b) => b.status !== 'unknown') ? s : undefined;
    }, 'probes');
    const by = Object.fromEntries(status.backends.map((b) => [b.name, b.status]));
    assert.deepEqual(by, { exchange: 'ready', passthrough: 'unauthenticated', service: 'ready', header: 'ready' });
    assert.equal(status.phase, 'Ready');
  });

  it('users see different tools (per-user discovery + policies) and each call carries the right credential', async () => {
    await using alice = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('alice', ['eng'])}` } });
    await using bob = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('bob', ['sales'])}` } });
    const aliceTools = (await alice.listTools()).tools.map((t) => t.name).sort();
    const bobTools = (await bob.listTools()).tools.map((t) => t.name).sort();
    assert.ok(
      aliceTools.includes('exchange_x_search') && aliceTools.includes('passthrough_p_read') && aliceTools.includes('header_whoami'),
      aliceTools.join(),
    );
    assert.deepEqual(bobTools, ['service_add_tool', 'service_s_ping', 'service_tokens_seen', 'service_whoami']);
    const viaExchange = await alice.request({ method: 'tools/call', params: { name: 'exchange_whoami', arguments: {} } });
    assert.equal(text(viaExchange as never), 'exchange:alice', 'the backend got an exchanged token for alice with its own audience');
    assert.deepEqual((viaExchange as { structuredContent: { aud: unknown } }).structuredContent.aud, 'urn:backend:exchange');
    assert.equal(
      text((await alice.request({ method: 'tools/call', params: { name: 'passthrough_whoami', arguments: {} } })) as never),
      'passthrough:alice',
    );
    assert.equal(
      text((await alice.request({ method: 'tools/call', params: { name: 'service_whoami', arguments: {} } })) as never),
      `service:${idp.client.id}`,
    );
    await assert.rejects(
      bob.request({ method: 'tools/call', params: { name: 'exchange_whoami', arguments: {} } }),
      (e: Error & { code?: number }) =>
        e.code === 403 &&
        /call_tool on tool "exchange_whoami" is not permitted/.test(e.message) &&
        !/eng-everything|sales-service-only/.test(e.message),
    );
  });

  it("never lets one user's token reach another user's backend session, and caches exchanges", async () => {
    const before = idp.exchanges.length;
    await using alice = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('alice', ['eng'])}` } });
    await using carol = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('carol', ['eng'])}` } });
    await Promise.all(
      [alice, carol].flatMap((c) =>
        Array.from({ length: 5 }, () => c.request({ method: 'tools/call', params: { name: 'exchange_whoami', arguments: {} } })),
      ),
    );
    assert.equal(
      text((await alice.request({ method: 'tools/call', params: { name: 'exchange_tokens_seen', arguments: {} } })) as never),
      'alice',
    );
    assert.equal(
      text((await carol.request({ method: 'tools/call', params: { name: 'exchange_tokens_seen', arguments: {} } })) as never),
      'carol',
    );
    assert.ok(idp.exchanges.length - before <= 2, `at most one exchange per new user token (${idp.exchanges.length - before})`);
  });

  it('keeps every secret out of logs, errors and /status', async () => {
    const secrets = [idp.client.secret, 'let-me-in', await token('alice', ['eng'])];
    await using alice = await connectClient(gw.url, { headers: { authorization: `Bearer ${secrets[2]}` } });
    await alice.request({ method: 'tools/call', params: { name: 'header_whoami', arguments: {} } });
    const status = await (await fetch(gw.url.replace(/mcp$/, 'status'))).text();
    for (const secret of secrets) {
      assert.ok(!logText.includes(secret), 'a secret reached the logs');
      assert.ok(!status.includes(secret), 'a secret reached /status');
    }
    assert.ok(logText.length > 1000, 'the logs were captured');
  });
});

describe('a gateway whose backends all need per-user tokens', () => {
  it('is Ready with "All 2 backends require authentication" while an authenticated user lists and calls their tools', async () => {
    await using idp = await startOidc();
    const port = await freePort();
    const audience = `http://127.0.0.1:${port}/mcp`;
    await using one = await spawnFixture(`${FIXTURES}/jwt-backend.mjs`, ['--issuer', idp.issuer, '--audience', audience, '--name', 'one']);
    await using two = await spawnFixture(`${FIXTURES}/jwt-backend.mjs`, ['--issuer', idp.issuer, '--audience', audience, '--name', 'two']);
    const pass = { type: 'token_passthrough', tokenPassthrough: { headerName: 'Authorization' } };
    await using gw = await startGateway({
      name: 'all-oauth',
      server: { port },
      incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience } },
      outgoingAuth: { default: pass },
      backends: [
        { name: 'one', transport: 'streamable-http', url: one.url },
        { name: 'two', transport: 'streamable-http', url: two.url },
      ],
    });
    const s = await waitFor(async () => {
      const r = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
        phase: string;
        message: string;
        backendCount: number;
        healthy: boolean;
        backends: { message: string }[];
      };
      return r.phase === 'Pending' ? undefined : r;
    }, 'first probes');
    assert.equal(s.phase, 'Ready');
    assert.equal(s.message, 'All 2 backends require authentication');
    assert.equal(s.backendCount, 2);
    assert.equal(s.healthy, true);
    assert.match(s.backends[0]!.message, /per-user/i);
    const t = await idp.mintAccessToken({ sub: 'dana', aud: audience, scope: 'mcp:tools' });
    await using dana = await connectClient(gw.url, { headers: { authorization: `Bearer ${t}` } });
    assert.deepEqual((await dana.listTools()).tools.map((x) => x.name).sort(), [
      'one_add_tool',
      'one_tokens_seen',
      'one_whoami',
      'two_add_tool',
      'two_tokens_seen',
      'two_whoami',
    ]);
    assert.equal(text((await dana.request({ method: 'tools/call', params: { name: 'two_whoami', arguments: {} } })) as never), 'two:dana');
    // The per-user view is cached, and refreshed when the backend says its list changed.
    let changed = 0;
    dana.setNotificationHandler('notifications/tools/list_changed', () => void (changed += 1));
    await dana.request({ method: 'tools/call', params: { name: 'one_add_tool', arguments: { name: 'fresh' } } });
    await waitFor(() => changed > 0, 'list_changed after the per-user backend changed');
    assert.ok((await dana.listTools()).tools.some((x) => x.name === 'one_fresh'));
  });

  it('tells a user whose credentials a backend rejects that they must authenticate with it', async () => {
    await using idp = await startOidc();
    const port = await freePort();
    const audience = `http://127.0.0.1:${port}/mcp`;
    // This backend only accepts tokens for another audience: the user's token passes through and is refused.
    await using strict = await spawnFixture(`${FIXTURES}/jwt-backend.mjs`, [
      '--issuer',
      idp.issuer,
      '--audience',
      'urn:somewhere-else',
      '--name',
      'strict',
    ]);
    await using gw = await startGateway({
      name: 'refuse',
      server: { port },
      incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience } },
      outgoingAuth: { default: { type: 'token_passthrough', tokenPassthrough: { headerName: 'Authorization' } } },
      backends: [{ name: 'strict', transport: 'streamable-http', url: strict.url }],
    });
    const t = await idp.mintAccessToken({ sub: 'erin', aud: audience, scope: 'mcp:tools' });
    await using erin = await connectClient(gw.url, { headers: { authorization: `Bearer ${t}` } });
    const notices: string[] = [];
    erin.setNotificationHandler('notifications/message', (n) => void notices.push(String(n.params.data)));
    assert.deepEqual((await erin.listTools()).tools, []);
    await assert.rejects(
      erin.request({ method: 'tools/call', params: { name: 'strict_whoami', arguments: {} } }),
      /Backend "strict" did not accept your credentials.*authenticate with that backend/,
    );
    await waitFor(() => notices.some((n) => /backend "strict" did not accept your credentials/.test(n)), 'a notice in the session');
  });
});

describe('machine clients and stdio credentials', () => {
  it('accepts a static API key (stored as a SHA-256 hash) and refuses a wrong one', async () => {
    const { createHash } = await import('node:crypto');
    await using idp = await startOidc();
    const port = await freePort();
    const key = 'vmcp-test-machine-key-0123456789';
    await using gw = await startGateway({
      name: 'keys',
      server: { port },
      incomingAuth: {
        type: 'oidc',
        oidc: { issuer: idp.issuer, audience: `http://127.0.0.1:${port}/mcp` },
        apiKeys: [{ name: 'ci-bot', sha256: createHash('sha256').update(key).digest('hex') }],
      },
      backends: [
        {
          name: 'alpha',
          transport: 'stdio',
          command: 'node',
          args: [`${FIXTURES}/named.mjs`],
          env: { NAMED_SPEC: JSON.stringify({ name: 'alpha', tools: [{ name: 'hi' }] }) },
        },
      ],
    });
    await using bot = await connectClient(gw.url, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(text((await bot.request({ method: 'tools/call', params: { name: 'alpha_hi', arguments: {} } })) as never), 'alpha:hi:{}');
    await assert.rejects(connectClient(gw.url, { headers: { authorization: 'Bearer not-the-key' } }), /401|Unauthorized|invalid_token/i);
  });

  it('gives a stdio backend its credential as an environment variable', async () => {
    const { EVERYTHING } = await import('../helpers/gateway.js');
    await using gw = await startGateway(
      {
        name: 'stdio-creds',
        outgoingAuth: {
          backends: {
            everything: { type: 'header_injection', headerInjection: { envName: 'GITHUB_TOKEN', headerValueEnv: 'TEST_STDIO_SECRET' } },
          },
        },
        backends: [{ name: 'everything', transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] }],
      },
      { ...process.env, TEST_STDIO_SECRET: 'stdio-secret-value-42' },
    );
    await using client = await connectClient(gw.url);
    const env = text((await client.request({ method: 'tools/call', params: { name: 'everything_get-env', arguments: {} } })) as never);
    assert.match(env, /"GITHUB_TOKEN":\s*"stdio-secret-value-42"/);
  });
});
