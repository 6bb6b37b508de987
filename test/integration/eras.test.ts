// Both MCP eras on one URL: a 2025-era (session) client and a 2026-07-28 client use the same
// gateway at the same time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, startGateway, stdioBackend, text } from '../helpers/gateway.js';

const alpha = stdioBackend('alpha', `${FIXTURES}/named.mjs`, [], {
  env: {
    NAMED_SPEC: JSON.stringify({
      name: 'alpha',
      tools: [{ name: 'greet' }],
      prompts: ['hello'],
      resources: [{ uri: 'alpha://readme', name: 'readme' }],
    }),
  },
});

describe('protocol eras at the client edge', () => {
  it('serves a 2025-11-25 client and a 2026-07-28 client side by side', async () => {
    await using gw = await startGateway({ name: 'eras', backends: [alpha] });
    await using legacy = await connectClient(gw.url, { era: 'legacy' });
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    assert.equal(legacy.getNegotiatedProtocolVersion(), '2025-11-25');
    assert.equal(modern.getNegotiatedProtocolVersion(), '2026-07-28');
    for (const client of [legacy, modern]) {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ['alpha_greet'],
      );
      const r = await client.request({
        method: 'tools/call',
        params: { name: 'alpha_greet', arguments: { era: client.getNegotiatedProtocolVersion() } },
      });
      assert.match(text(r as never), /^alpha:greet:\{"era":"20\d\d-\d\d-\d\d"\}$/);
      const p = await client.request({ method: 'prompts/get', params: { name: 'alpha_hello' } });
      assert.match(JSON.stringify(p), /alpha:hello/);
      const res = await client.request({ method: 'resources/read', params: { uri: 'alpha://readme' } });
      assert.match(JSON.stringify(res), /alpha:alpha:\/\/readme/);
    }
    assert.equal(modern.getServerVersion()?.name, 'eras');
  });

  it("answers a 2026-07-28 client's unknown tool with an error naming it", async () => {
    await using gw = await startGateway({ name: 'eras', backends: [alpha] });
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    await assert.rejects(modern.request({ method: 'tools/call', params: { name: 'missing', arguments: {} } }), /Unknown tool: "missing"/);
  });
});
