// RFC 7662 token introspection for opaque tokens (incomingAuth.oidc.clientId + clientSecretEnv,
// ToolHive's meaning of those keys) against a real oidc-provider, through the gateway's front door.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, startGateway, stdioBackend } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { startOidc } from '../helpers/oidc.js';
import type { OidcServer } from '../helpers/oidc.js';

let idp: OidcServer;
let gw: TestGateway;

function config(oidc: Record<string, unknown>) {
  return {
    name: 'introspect',
    backends: [stdioBackend('echo', `${FIXTURES}/named.mjs`)],
    incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience: 'vmcp', resource: 'http://127.0.0.1/mcp', ...oidc } },
  };
}

/** The HTTP status of an initialize request carrying this bearer token. */
async function status(url: string, token: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });
  await res.body?.cancel();
  return res.status;
}

before(async () => {
  idp = await startOidc();
  gw = await startGateway(config({ clientId: idp.client.id, clientSecretEnv: 'INTROSPECT_SECRET' }), {
    ...process.env,
    INTROSPECT_SECRET: idp.client.secret,
  });
});
after(async () => {
  await gw?.[Symbol.asyncDispose]();
  await idp?.close();
});

describe('opaque tokens are introspected', () => {
  test('an active token for audience "vmcp" is accepted', async () => {
    assert.equal(await status(gw.url, await idp.opaqueToken({ audience: 'vmcp' })), 200);
  });

  test('an active token for another audience is refused (audience binding)', async () => {
    assert.equal(await status(gw.url, await idp.opaqueToken({ audience: 'other-service' })), 401);
  });

  test('a token the provider never issued is refused (active: false)', async () => {
    assert.equal(await status(gw.url, 'not-a-token-the-idp-knows'), 401);
  });

  test('JWTs are still verified locally, with the non-URL audience', async () => {
    assert.equal(await status(gw.url, await idp.mintAccessToken({ sub: 'alice', aud: 'vmcp' })), 200);
    assert.equal(await status(gw.url, await idp.mintAccessToken({ sub: 'alice', aud: 'elsewhere' })), 401);
  });

  test('without clientId and a secret, an opaque token is refused as malformed', async () => {
    await using plain = await startGateway(config({}));
    assert.equal(await status(plain.url, await idp.opaqueToken({ audience: 'vmcp' })), 401);
  });

  test('a wrong client secret makes introspection unavailable (503), never an acceptance', async () => {
    await using wrong = await startGateway(config({ clientId: idp.client.id, clientSecretEnv: 'WRONG' }), {
      ...process.env,
      WRONG: 'nope',
    });
    assert.equal(await status(wrong.url, await idp.opaqueToken({ audience: 'vmcp' })), 503);
  });
});
