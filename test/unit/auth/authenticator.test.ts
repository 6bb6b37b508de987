// createAuthenticator: headers in, Principal or a ready HTTP answer out (RFC 6750 / 9728, MCP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthenticator } from '../../../src/auth/incoming/authenticator.js';
import type { AuthOutcome } from '../../../src/auth/incoming/authenticator.js';
import { sha256Hex } from '../../../src/auth/incoming/api-keys.js';
import { ANONYMOUS } from '../../../src/auth/types.js';
import type { IncomingAuthConfig } from '../../../src/config/types.js';
import { AUDIENCE, fakeIdp, ISSUER } from './fake-idp.js';

const KEY = 'machine-key-5d1e0b';
const META = 'https://gw.test/.well-known/oauth-protected-resource/mcp';
const apiKeys = [
  { name: 'ci', sha256: sha256Hex(KEY), scopes: ['mcp:tools'] },
  { name: 'weak', sha256: sha256Hex('weak-key'), scopes: [] },
];
const oidcConfig: IncomingAuthConfig = {
  type: 'oidc',
  allowRemoteAnonymous: false,
  issuer: ISSUER,
  audience: AUDIENCE,
  resource: AUDIENCE,
  scopes: ['mcp:tools'],
  clockSkewMs: 30_000,
  insecureAllowHttp: false,
  apiKeys,
};

function failure(o: AuthOutcome): Exclude<AuthOutcome, { ok: true }> {
  assert.equal(o.ok, false, 'expected a failure');
  return o as Exclude<AuthOutcome, { ok: true }>;
}

async function oidc() {
  const idp = await fakeIdp();
  const auth = createAuthenticator({ name: 'gw', incomingAuth: oidcConfig }, { verifier: { fetch: idp.fetch } });
  return { idp, auth };
}

test('anonymous without keys: everyone is ANONYMOUS, credentials are ignored', async () => {
  const auth = createAuthenticator({ name: 'gw', incomingAuth: { type: 'anonymous', allowRemoteAnonymous: false, apiKeys: [] } });
  assert.equal(auth.protectedResource, undefined);
  for (const headers of [{}, { authorization: 'Bearer whatever' }, { 'x-api-key': 'x' }]) {
    assert.deepEqual(await auth.authenticate(headers), { ok: true, principal: ANONYMOUS });
  }
  auth.close();
});

test('anonymous with keys: no key is ANONYMOUS, a right key its principal, a wrong key 401', async () => {
  const auth = createAuthenticator({ name: 'gw', incomingAuth: { type: 'anonymous', allowRemoteAnonymous: false, apiKeys } });
  assert.deepEqual(await auth.authenticate({}), { ok: true, principal: ANONYMOUS });
  const ok = await auth.authenticate({ 'x-api-key': KEY });
  assert.equal(ok.ok && ok.principal.subject, 'ci');
  const bad = failure(await auth.authenticate({ authorization: 'Bearer nope' }));
  assert.equal(bad.status, 401);
  assert.deepEqual(bad.headers, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="unknown API key"' });
});

test('oidc, no credential: 401 with resource_metadata and scope, no error code (RFC 6750 §3.1)', async () => {
  const { auth } = await oidc();
  assert.deepEqual(auth.protectedResource, {
    metadataUrl: META,
    paths: ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'],
    document: {
      resource: AUDIENCE,
      authorization_servers: [ISSUER],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
      resource_name: 'gw',
    },
  });
  for (const headers of [{}, { authorization: 'Basic dTpw' }]) {
    const f = failure(await auth.authenticate(headers));
    assert.equal(f.status, 401);
    assert.deepEqual(f.headers, { 'WWW-Authenticate': `Bearer resource_metadata="${META}", scope="mcp:tools"` });
    assert.equal(f.body.error, 'invalid_token');
  }
});

test('oidc, a valid token: the principal; an expired one: 401 invalid_token with a description', async () => {
  const { idp, auth } = await oidc();
  const token = await idp.sign({ scope: 'mcp:tools' });
  const ok = await auth.authenticate({ Authorization: `bearer ${token}` });
  assert.ok(ok.ok);
  assert.equal(ok.principal.subject, 'alice');
  const expired = await idp.sign({ scope: 'mcp:tools' }, { expiresIn: -3600 });
  const f = failure(await auth.authenticate({ authorization: `Bearer ${expired}` }));
  assert.equal(f.status, 401);
  assert.deepEqual(f.headers, {
    'WWW-Authenticate': `Bearer resource_metadata="${META}", error="invalid_token", error_description="token expired", scope="mcp:tools"`,
  });
  assert.deepEqual(f.body, { error: 'invalid_token', error_description: 'token expired' });
  assert.ok(!JSON.stringify(f).includes(expired));
});

test('oidc, a missing scope: 403 insufficient_scope naming the scopes to ask for', async () => {
  const { idp, auth } = await oidc();
  const f = failure(await auth.authenticate({ authorization: `Bearer ${await idp.sign({ scope: 'mcp:read' })}` }));
  assert.equal(f.status, 403);
  assert.equal(
    f.headers['WWW-Authenticate'],
    `Bearer resource_metadata="${META}", error="insufficient_scope", error_description="token is missing required scope mcp:tools", scope="mcp:tools"`,
  );
});

test('oidc, API keys: as Bearer or X-API-Key; unknown 401; lacking scope 403', async () => {
  const { auth } = await oidc();
  for (const headers of [{ authorization: `Bearer ${KEY}` }, { 'x-api-key': KEY }, { 'X-API-Key': KEY }]) {
    const o = await auth.authenticate(headers);
    assert.ok(o.ok);
    assert.deepEqual(o.principal, { kind: 'api-key', subject: 'ci', scopes: ['mcp:tools'], claims: {} });
  }
  const unknown = failure(await auth.authenticate({ 'x-api-key': 'guess' }));
  assert.equal(unknown.status, 401);
  assert.match(unknown.headers['WWW-Authenticate'] ?? '', /error="invalid_token", error_description="unknown API key"/);
  const notJwt = failure(await auth.authenticate({ authorization: 'Bearer guess' }));
  assert.equal(notJwt.status, 401);
  const weak = failure(await auth.authenticate({ 'x-api-key': 'weak-key' }));
  assert.equal(weak.status, 403);
  assert.match(weak.body.error_description, /API key "weak" lacks required scope mcp:tools/);
});

test('malformed requests: 400 invalid_request', async () => {
  const { idp, auth } = await oidc();
  const token = await idp.sign({ scope: 'mcp:tools' });
  const cases = [
    { authorization: 'Bearer ' },
    { authorization: 'Bearer' },
    { authorization: [`Bearer ${token}`, `Bearer ${token}`] },
    { authorization: `Bearer ${token}`, 'x-api-key': KEY },
  ];
  for (const headers of cases) {
    const f = failure(await auth.authenticate(headers));
    assert.equal(f.status, 400, JSON.stringify(headers));
    assert.equal(f.body.error, 'invalid_request');
    assert.match(f.headers['WWW-Authenticate'] ?? '', /^Bearer resource_metadata=".*", error="invalid_request"/);
    assert.ok(!JSON.stringify(f).includes(token) && !JSON.stringify(f).includes(KEY));
  }
});

test('an unreachable IdP: 503 without a challenge (a new token would not help)', async () => {
  const { idp, auth } = await oidc();
  idp.down = true;
  const f = failure(await auth.authenticate({ authorization: `Bearer ${await idp.sign({ scope: 'mcp:tools' })}` }));
  assert.equal(f.status, 503);
  assert.deepEqual(f.headers, {});
  assert.equal(f.body.error, 'temporarily_unavailable');
  auth.close();
});
