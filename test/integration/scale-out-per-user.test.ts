// Per-user backends on a 2025-era session served by every replica: three vmcp replicas behind
// round-robin HAProxy share the session in Redis (a real OIDC provider issues the tokens, the
// backend verifies them with jose). Each replica opens its own backend session for the session's
// user from the token of the request it serves, so the user's calls work wherever they land; the
// record's identity binding is enforced on every replica, so another user holding the session id
// gets nothing of it — and never reaches the owner's backend session.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, spawnFixture, text, type Fixture } from '../helpers/gateway.js';
import { startOidc, type OidcServer } from '../helpers/oidc.js';
import { stdio } from '../abuse/lib/config.js';
import { startCluster, tracedClient, type Cluster } from './scale/cluster.js';

const AUDIENCE = 'http://vmcp.scale.test/mcp';

describe('per-user backends on a session shared by replicas', { timeout: 120_000 }, () => {
  let idp: OidcServer;
  let backend: Fixture;
  let cluster: Cluster;
  const token = (sub: string) => idp.mintAccessToken({ sub, aud: AUDIENCE, scope: 'mcp:tools' });

  before(async () => {
    idp = await startOidc();
    backend = await spawnFixture(`${FIXTURES}/jwt-backend.mjs`, ['--issuer', idp.issuer, '--audience', AUDIENCE, '--name', 'pu']);
    cluster = await startCluster(3, {
      aggregation: { conflictResolution: 'prefix' },
      incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience: AUDIENCE } },
      outgoingAuth: { backends: { pu: { type: 'token_passthrough', tokenPassthrough: { headerName: 'Authorization' } } } },
      backends: [
        stdio('conf', 'conformance-backend.mjs', ['--transport', 'stdio']),
        { name: 'pu', transport: 'streamable-http', url: backend.url },
      ],
    });
  });
  after(async () => {
    await cluster?.[Symbol.asyncDispose]();
    await backend?.close();
    await idp?.close();
  });

  it("serves the session's user on every replica, each with its own backend session for that user only", async () => {
    await using alice = await tracedClient(cluster.lb.url, {}, { headers: { authorization: `Bearer ${await token('alice')}` } });
    const whoami = [];
    for (let i = 0; i < 3; i++) whoami.push(text((await alice.callTool({ name: 'pu_whoami', arguments: {} })) as never));
    assert.deepEqual(whoami, ['pu:alice', 'pu:alice', 'pu:alice']);
    for (let i = 0; i < 3; i++) assert.equal(text((await alice.callTool({ name: 'pu_tokens_seen', arguments: {} })) as never), 'alice');
    const replicas = new Set(alice.served.filter((s) => s.kind === 'tools/call').map((s) => s.replica));
    assert.equal(replicas.size, 3, `every replica served the session's per-user calls: ${JSON.stringify(alice.served)}`);
  });

  it('refuses another user holding the session id on every replica (403), and serves that user their own session', async () => {
    await using alice = await tracedClient(cluster.lb.url, {}, { headers: { authorization: `Bearer ${await token('alice')}` } });
    await alice.listTools();
    const bob = await token('bob');
    const refusedBy = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(cluster.lb.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bob}`,
          'mcp-session-id': alice.sessionId()!,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'pu_tokens_seen', arguments: {} } }),
      });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /this session belongs to another identity/);
      refusedBy.add(res.headers.get('vmcp-replica') ?? '?');
    }
    assert.equal(refusedBy.size, 3, `every replica enforced the binding: ${[...refusedBy].join(',')}`);
    // Alice's backend sessions never saw bob: on whichever replica, tokens_seen is still only alice.
    for (let i = 0; i < 3; i++) assert.equal(text((await alice.callTool({ name: 'pu_tokens_seen', arguments: {} })) as never), 'alice');
    await using own = await tracedClient(cluster.lb.url, {}, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(text((await own.callTool({ name: 'pu_whoami', arguments: {} })) as never), 'pu:bob');
  });
});
