// OidcVerifier against an in-memory IdP: discovery order and checks, error mapping, caching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { AuthError } from '../../../src/auth/incoming/auth-error.js';
import { discoveryUrls } from '../../../src/auth/incoming/discovery.js';
import { OidcVerifier, scopesOf } from '../../../src/auth/incoming/jwt.js';
import { AUDIENCE, fakeIdp, ISSUER } from './fake-idp.js';

const CFG = { issuer: ISSUER, audience: AUDIENCE, scopes: ['mcp:tools'], clockSkewMs: 30_000, insecureAllowHttp: false };

async function rejects(p: Promise<unknown>, expected: { status: number; error: string; description: RegExp }): Promise<AuthError> {
  const e = await p.then(
    () => assert.fail('expected an AuthError'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof AuthError, String(e));
  assert.equal(e.status, expected.status);
  assert.equal(e.error, expected.error);
  assert.match(e.description, expected.description);
  return e;
}

test('discovery URLs: OIDC appended, RFC 8414 inserted, and the inserted OIDC form for path issuers', () => {
  assert.deepEqual(discoveryUrls('https://idp.test'), [
    'https://idp.test/.well-known/openid-configuration',
    'https://idp.test/.well-known/oauth-authorization-server',
  ]);
  assert.deepEqual(discoveryUrls('https://idp.test/tenant/'), [
    'https://idp.test/tenant/.well-known/openid-configuration',
    'https://idp.test/.well-known/oauth-authorization-server/tenant',
    'https://idp.test/.well-known/openid-configuration/tenant',
  ]);
});

test('a valid token: Principal with sub, issuer, scopes (scope and scp), claims, and a hidden token', async () => {
  const idp = await fakeIdp();
  const v = new OidcVerifier(CFG, { fetch: idp.fetch });
  const token = await idp.sign({ scope: 'mcp:tools mcp:read', scp: ['extra'], email: 'a@example.com' });
  const p = await v.verify(token);
  assert.equal(p.kind, 'oidc');
  assert.equal(p.subject, 'alice');
  assert.equal(p.issuer, ISSUER);
  assert.deepEqual(p.scopes, ['mcp:tools', 'mcp:read', 'extra']);
  assert.equal(p.claims.email, 'a@example.com');
  assert.equal(p.token, token);
  assert.equal(typeof p.expiresAt, 'number');
  assert.ok(!JSON.stringify(p).includes(token), 'the raw token is not serialised');
  assert.ok(!('token' in { ...p }), 'nor copied by a spread');
  // Discovery once, JWKS once; a second token reuses both.
  await v.verify(await idp.sign({ scope: 'mcp:tools' }));
  assert.deepEqual(idp.requests, [`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/jwks`]);
  v.close();
});

test('discovery falls back to oauth-authorization-server; an issuer mismatch is refused', async () => {
  const idp = await fakeIdp();
  idp.routes.delete(`${ISSUER}/.well-known/openid-configuration`);
  idp.routes.set(`${ISSUER}/.well-known/oauth-authorization-server`, { status: 200, body: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } });
  const v = new OidcVerifier(CFG, { fetch: idp.fetch });
  assert.equal((await v.verify(await idp.sign({ scope: 'mcp:tools' }))).subject, 'alice');

  const evil = await fakeIdp();
  evil.routes.set(`${ISSUER}/.well-known/openid-configuration`, {
    status: 200,
    body: { issuer: 'https://evil.test', jwks_uri: `${ISSUER}/jwks` },
  });
  const e = await rejects(new OidcVerifier(CFG, { fetch: evil.fetch }).verify(await evil.sign({})), {
    status: 503,
    error: 'temporarily_unavailable',
    description: /its issuer is not https:\/\/idp\.test/,
  });
  assert.equal(e.code, 'VMCP_UNAUTHENTICATED');
});

test('a plain-http jwks_uri on a remote host is refused; jwksUrl skips discovery', async () => {
  const idp = await fakeIdp();
  idp.routes.set(`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer: ISSUER, jwks_uri: 'http://idp.test/jwks' } });
  await rejects(new OidcVerifier(CFG, { fetch: idp.fetch }).verify(await idp.sign({})), {
    status: 503,
    error: 'temporarily_unavailable',
    description: /not https/,
  });
  const direct = await fakeIdp();
  const v = new OidcVerifier({ ...CFG, jwksUrl: `${ISSUER}/jwks` }, { fetch: direct.fetch });
  await v.verify(await direct.sign({ scope: 'mcp:tools' }));
  assert.deepEqual(direct.requests, [`${ISSUER}/jwks`]);
});

test('failures map to 401 invalid_token / 403 insufficient_scope with a clear description', async () => {
  const idp = await fakeIdp();
  const v = new OidcVerifier(CFG, { fetch: idp.fetch });
  const other = (await jose.generateKeyPair('ES256')).privateKey;
  const cases: [string, Promise<string> | string, number, string, RegExp][] = [
    ['expired', idp.sign({ scope: 'mcp:tools' }, { expiresIn: -120 }), 401, 'invalid_token', /^token expired$/],
    ['within clock skew', idp.sign({ scope: 'mcp:tools' }, { expiresIn: -10 }), 0, '', /./],
    [
      'wrong audience',
      idp.sign({ scope: 'mcp:tools', aud: 'https://other.test' }),
      401,
      'invalid_token',
      /audience does not include https:\/\/gw\.test\/mcp/,
    ],
    ['wrong issuer', idp.sign({ scope: 'mcp:tools', iss: 'https://evil.test' }), 401, 'invalid_token', /issuer is not https:\/\/idp\.test/],
    ['bad signature', idp.sign({ scope: 'mcp:tools' }, { key: other }), 401, 'invalid_token', /signature is invalid/],
    ['unknown kid', idp.sign({ scope: 'mcp:tools' }, { key: other, kid: 'k9' }), 401, 'invalid_token', /unknown kid/],
    ['not yet valid', idp.sign({ scope: 'mcp:tools', nbf: Math.floor(Date.now() / 1000) + 3600 }), 401, 'invalid_token', /not valid yet/],
    ['no sub', idp.sign({ scope: 'mcp:tools', sub: undefined }), 401, 'invalid_token', /no sub claim/],
    ['malformed', 'not-a-jwt', 401, 'invalid_token', /malformed/],
    ['garbage segments', 'aaa.bbb.ccc', 401, 'invalid_token', /malformed/],
    [
      'HMAC alg',
      new jose.SignJWT({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new Uint8Array(32)),
      401,
      'invalid_token',
      /algorithm/,
    ],
    ['missing scope', idp.sign({ scope: 'mcp:read' }), 403, 'insufficient_scope', /missing required scope mcp:tools/],
  ];
  for (const [name, tokenPromise, status, error, description] of cases) {
    const token = await tokenPromise;
    if (status === 0) {
      await v.verify(token);
      continue;
    }
    const e = await rejects(v.verify(token), { status, error, description });
    assert.ok(!e.message.includes(token) && !JSON.stringify(e).includes(token), `${name}: token leaked`);
  }
});

test("an unreachable IdP is 503 (not the caller's fault) and discovery is retried next time", async () => {
  const idp = await fakeIdp();
  const v = new OidcVerifier(CFG, { fetch: idp.fetch });
  idp.down = true;
  await rejects(v.verify(await idp.sign({ scope: 'mcp:tools' })), {
    status: 503,
    error: 'temporarily_unavailable',
    description: /identity provider/,
  });
  idp.down = false;
  assert.equal((await v.verify(await idp.sign({ scope: 'mcp:tools' }))).subject, 'alice');
});

test('close() makes later verifications fail fast', async () => {
  const idp = await fakeIdp();
  const v = new OidcVerifier(CFG, { fetch: idp.fetch });
  v.close();
  v.close();
  await rejects(v.verify(await idp.sign({})), { status: 503, error: 'temporarily_unavailable', description: /shutting down/ });
  assert.deepEqual(idp.requests, []);
});

test('scopesOf reads `scope` strings and `scp` strings or lists', () => {
  assert.deepEqual(scopesOf({ scope: 'a b  c' }), ['a', 'b', 'c']);
  assert.deepEqual(scopesOf({ scp: 'x y' }), ['x', 'y']);
  assert.deepEqual(scopesOf({ scp: ['x', 3, 'x'] }), ['x']);
  assert.deepEqual(scopesOf({}), []);
});
