// The resource-server side of issue 6 against a real authorization server (oidc-provider,
// in-process on loopback): discovery, JWKS and rotation, every rejection reason, the
// authenticator loaded from a real config, and RFC 8693 token exchange over plain HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { AuthError } from '../../src/auth/incoming/auth-error.js';
import { createAuthenticator } from '../../src/auth/incoming/authenticator.js';
import { OidcVerifier } from '../../src/auth/incoming/jwt.js';
import type { OidcVerifierConfig } from '../../src/auth/incoming/jwt.js';
import { loadConfigText } from '../../src/config/load.js';
import { ACCESS_TOKEN_TYPE, basicAuth, startOidc, TOKEN_EXCHANGE_GRANT } from '../helpers/oidc.js';
import type { OidcServer } from '../helpers/oidc.js';

const GATEWAY = 'http://127.0.0.1:4483/mcp';
let idp: OidcServer;
let cfg: OidcVerifierConfig;

before(async () => {
  idp = await startOidc();
  cfg = { issuer: idp.issuer, audience: GATEWAY, scopes: ['mcp:tools'], clockSkewMs: 5_000, insecureAllowHttp: false };
});
after(() => idp.close());

async function rejection(v: OidcVerifier, token: string): Promise<AuthError> {
  const e = await v.verify(token).then(
    () => assert.fail('expected rejection'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof AuthError, String(e));
  assert.ok(!e.message.includes(token));
  return e;
}

describe('OidcVerifier against oidc-provider', () => {
  it('accepts a token the provider issued (client_credentials + resource indicator)', async () => {
    const v = new OidcVerifier(cfg);
    const { access_token: token } = await idp.clientCredentialsToken({ resource: GATEWAY, scope: 'mcp:tools mcp:read' });
    const p = await v.verify(token);
    assert.equal(p.kind, 'oidc');
    assert.equal(p.subject, idp.client.id);
    assert.equal(p.issuer, idp.issuer);
    assert.deepEqual([...p.scopes].sort(), ['mcp:read', 'mcp:tools']);
    assert.equal(p.claims.aud, GATEWAY);
    assert.equal(p.token, token);
    v.close();
  });

  it('accepts a user token: sub, scopes and claims', async () => {
    const v = new OidcVerifier(cfg);
    const p = await v.verify(
      await idp.mintAccessToken({ sub: 'alice', aud: [GATEWAY, 'https://other'], scope: 'mcp:tools', claims: { groups: ['eng'] } }),
    );
    assert.equal(p.subject, 'alice');
    assert.deepEqual(p.scopes, ['mcp:tools']);
    assert.deepEqual(p.claims.groups, ['eng']);
    v.close();
  });

  it('rejects with the right status, error and description', async () => {
    const v = new OidcVerifier(cfg);
    const mint = (o: Partial<Parameters<OidcServer['mintAccessToken']>[0]>) =>
      idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, scope: 'mcp:tools', ...o });
    const cases: [string, string, number, string, RegExp][] = [
      ['expired', await mint({ expiresIn: -60 }), 401, 'invalid_token', /^token expired$/],
      [
        'wrong audience',
        await mint({ aud: 'http://127.0.0.1:9/other' }),
        401,
        'invalid_token',
        /audience does not include http:\/\/127\.0\.0\.1:4483\/mcp/,
      ],
      ['wrong issuer', await mint({ iss: 'http://127.0.0.1:1' }), 401, 'invalid_token', /issuer is not http:\/\/127\.0\.0\.1:\d+/],
      ['bad signature (same kid, another key)', await mint({ foreign: true }), 401, 'invalid_token', /signature is invalid/],
      ['bad signature (unknown kid)', await mint({ foreign: true, kid: 'stranger' }), 401, 'invalid_token', /unknown kid/],
      ['malformed', 'eyJhbGciOiJSUzI1NiJ9.e30', 401, 'invalid_token', /malformed/],
      ['missing scope', await mint({ scope: 'mcp:read' }), 403, 'insufficient_scope', /missing required scope mcp:tools/],
      [
        'a token for another resource (client_credentials)',
        (await idp.clientCredentialsToken({ resource: 'https://backend.example.com', scope: 'mcp:tools' })).access_token,
        401,
        'invalid_token',
        /audience/,
      ],
    ];
    for (const [name, token, status, error, description] of cases) {
      const e = await rejection(v, token);
      assert.equal(e.status, status, name);
      assert.equal(e.error, error, name);
      assert.match(e.description, description, name);
    }
    v.close();
  });

  it('refetches the JWKS when a token names an unknown kid (key rotation)', async () => {
    const v = new OidcVerifier(cfg, { jwksCooldownMs: 0 });
    await v.verify(await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, scope: 'mcp:tools' }));
    const fetched = idp.jwksRequests;
    await v.verify(await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, scope: 'mcp:tools' }));
    assert.equal(idp.jwksRequests, fetched, 'a known kid is served from the cache');
    const kid = await idp.rotateKey();
    const rotated = await idp.mintAccessToken({ sub: 'bob', aud: GATEWAY, scope: 'mcp:tools' });
    assert.equal(jose.decodeProtectedHeader(rotated).kid, kid);
    assert.equal((await v.verify(rotated)).subject, 'bob');
    assert.equal(idp.jwksRequests, fetched + 1, 'exactly one refetch');
    v.close();
  });

  it('finds the keys through RFC 8414 when OpenID discovery is missing', async () => {
    const seen: string[] = [];
    const fetchWithoutOidc: typeof fetch = async (input, init) => {
      const url = String(input);
      seen.push(new URL(url).pathname);
      return url.endsWith('/openid-configuration') ? new Response('nope', { status: 404 }) : fetch(input, init);
    };
    const v = new OidcVerifier(cfg, { fetch: fetchWithoutOidc });
    assert.equal((await v.verify(await idp.mintAccessToken({ sub: 'carol', aud: GATEWAY, scope: 'mcp:tools' }))).subject, 'carol');
    assert.deepEqual(seen, ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks']);
    v.close();
  });
});

describe('authenticator from a real config', () => {
  it('challenges, accepts, and serves matching metadata', async () => {
    const { config, issues } = loadConfigText(
      JSON.stringify({
        name: 'gw',
        backends: [],
        incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience: GATEWAY, scopes: ['mcp:tools'] } },
      }),
      { env: {} },
    );
    assert.ok(config, JSON.stringify(issues));
    const auth = createAuthenticator(config);
    const challenge = await auth.authenticate({});
    assert.ok(!challenge.ok);
    assert.equal(
      challenge.headers['WWW-Authenticate'],
      'Bearer resource_metadata="http://127.0.0.1:4483/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"',
    );
    assert.deepEqual(auth.protectedResource?.document.authorization_servers, [idp.issuer]);
    const token = await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, scope: 'mcp:tools' });
    const ok = await auth.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(ok.ok && ok.principal.subject === 'alice');
    auth.close();
  });
});

describe('RFC 8693 token exchange at the provider (what outgoing token_exchange relies on)', () => {
  const BACKEND = 'https://docs.example.com/mcp';

  async function exchange(subjectToken: string, auth: 'basic' | 'post', extra: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      audience: BACKEND,
      ...extra,
    });
    if (auth === 'post') {
      body.set('client_id', idp.client.id);
      body.set('client_secret', idp.client.secret);
    }
    return fetch(idp.tokenEndpoint, {
      method: 'POST',
      headers: auth === 'basic' ? { authorization: basicAuth(idp.client.id, idp.client.secret) } : {},
      body,
    });
  }

  it('issues a JWT for the backend with the same sub, the asked scope and an act claim', async () => {
    const subject = await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, scope: 'mcp:tools mcp:read' });
    for (const auth of ['basic', 'post'] as const) {
      const res = await exchange(subject, auth, { scope: 'mcp:read' });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.issued_token_type, ACCESS_TOKEN_TYPE);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.scope, 'mcp:read');
      const backendVerifier = new OidcVerifier({ ...cfg, audience: BACKEND, scopes: ['mcp:read'] });
      const p = await backendVerifier.verify(String(body.access_token));
      assert.equal(p.subject, 'alice');
      assert.deepEqual(p.claims.act, { sub: idp.client.id });
      backendVerifier.close();
    }
    assert.deepEqual(idp.exchanges.at(-1), { sub: 'alice', audience: BACKEND, scope: 'mcp:read', subjectAud: GATEWAY });
  });

  it('refuses a subject token it did not issue, an expired one, and a wrong client secret', async () => {
    const foreign = await exchange(await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, foreign: true }), 'basic');
    assert.equal(foreign.status, 400);
    assert.equal(((await foreign.json()) as { error: string }).error, 'invalid_grant');
    const expired = await exchange(await idp.mintAccessToken({ sub: 'alice', aud: GATEWAY, expiresIn: -60 }), 'basic');
    assert.equal(expired.status, 400);
    const wrongClient = await fetch(idp.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basicAuth(idp.client.id, 'wrong') },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: 'x',
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience: BACKEND,
      }),
    });
    assert.equal(wrongClient.status, 401);
  });
});
