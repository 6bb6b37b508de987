// Composite steps act as their caller toward backends, against a real OIDC provider: a step on a
// token-exchange backend reaches it with a token exchanged for the calling user (its own audience),
// two users' concurrent runs never share a backend identity (the backend accepts only its own audience).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflowCommand } from '../../src/cli/workflow.js';
import { startOidc, type OidcServer } from '../helpers/oidc.js';
import { connectClient, FIXTURES, freePort, spawnFixture, startGateway, type Fixture, type TestGateway } from '../helpers/gateway.js';

describe('composite steps with per-user credentials', () => {
  let idp: OidcServer;
  let backend: Fixture;
  let gw: TestGateway;
  let audience: string;
  const token = (sub: string) => idp.mintAccessToken({ sub, aud: audience, scope: 'mcp:tools' });

  before(async () => {
    idp = await startOidc();
    backend = await spawnFixture(`${FIXTURES}/jwt-backend.mjs`, [
      '--issuer',
      idp.issuer,
      '--audience',
      'urn:backend:exchange',
      '--name',
      'x',
    ]);
    const port = await freePort();
    audience = `http://127.0.0.1:${port}/mcp`;
    gw = await startGateway(
      {
        name: 'composite-identity',
        server: { port },
        incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience, scopes: ['mcp:tools'] } },
        outgoingAuth: {
          backends: {
            exchange: {
              type: 'token_exchange',
              tokenExchange: {
                tokenUrl: idp.tokenEndpoint,
                clientId: idp.client.id,
                clientSecretEnv: 'COMPOSITE_IDP_SECRET',
                audience: 'urn:backend:exchange',
                scopes: ['mcp:tools'],
              },
            },
          },
        },
        backends: [{ name: 'exchange', transport: 'streamable-http', url: backend.url }],
        compositeTools: [
          {
            name: 'who',
            description: 'asks the backend who is calling, twice',
            steps: [
              { id: 'first', tool: 'exchange.whoami' },
              { id: 'again', tool: 'exchange.whoami', dependsOn: ['first'] },
            ],
            output: {
              properties: {
                first: { type: 'string', description: 'subject', value: '{{.steps.first.output.sub}}' },
                again: { type: 'string', description: 'subject', value: '{{.steps.again.output.sub}}' },
                aud: { type: 'string', description: 'audience', value: '{{.steps.first.output.aud}}' },
              },
            },
          },
        ],
      },
      { ...process.env, COMPOSITE_IDP_SECRET: idp.client.secret },
    );
  });

  after(async () => {
    await gw?.close();
    await backend?.close();
    await idp?.[Symbol.asyncDispose]();
  });

  it("each run reaches the backend as its caller, with a token exchanged for the backend's audience", async () => {
    const before = idp.exchanges.length;
    await using alice = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('alice')}` } });
    await using carol = await connectClient(gw.url, { headers: { authorization: `Bearer ${await token('carol')}` } });
    const run = async (c: typeof alice) => (await c.callTool({ name: 'composite_who', arguments: {} })).structuredContent;
    const [a, c] = await Promise.all([run(alice), run(carol)]);
    assert.deepEqual(a, { first: 'alice', again: 'alice', aud: 'urn:backend:exchange' });
    assert.deepEqual(c, { first: 'carol', again: 'carol', aud: 'urn:backend:exchange' });
    const exchanged = idp.exchanges.slice(before).map((e) => `${e.sub}>${e.audience}`);
    assert.deepEqual(
      [...new Set(exchanged)].sort(),
      ['alice>urn:backend:exchange', 'carol>urn:backend:exchange'],
      'exchanged for each user',
    );
    assert.equal(exchanged.length, 2, JSON.stringify(exchanged));
  });

  it('`vmcp workflow run` calls it as the user whose token VMCP_TOKEN holds, and never prints the token', async () => {
    const bearer = await token('dana');
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { VMCP_TOKEN: bearer },
    };
    assert.equal(await runWorkflowCommand(['run', 'who', '--url', gw.url], io), 0, stderr);
    assert.match(stdout, /"first": "dana"/);
    assert.ok(!(stdout + stderr).includes(bearer));
    const anonymous = await runWorkflowCommand(['run', 'who', '--url', gw.url], { ...io, env: {} });
    assert.equal(anonymous, 3, 'no token: the gateway refuses the connection');
    assert.match(stderr, /401|Unauthorized|invalid_token|authoriz/i);
  });
});
