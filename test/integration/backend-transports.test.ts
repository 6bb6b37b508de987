// One scenario body, run over every backend transport (house rule 11): stdio, Streamable HTTP and
// legacy SSE backends behind the gateway, driven by a real client over Streamable HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, spawnFixture, startGateway, stdioBackend, text, type Fixture } from '../helpers/gateway.js';

const SPEC = JSON.stringify({
  name: 'alpha',
  tools: [{ name: 'greet' }, { name: 'fail' }],
  prompts: ['hello'],
  resources: [{ uri: 'alpha://readme', name: 'readme' }],
  templates: [{ uriTemplate: 'alpha://item/{id}', name: 'item' }],
});

async function backendFor(transport: string): Promise<{ backend: Record<string, unknown>; fixture?: Fixture }> {
  if (transport === 'stdio') return { backend: stdioBackend('alpha', `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: SPEC } }) };
  const fixture = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', transport], { NAMED_SPEC: SPEC });
  return { backend: { name: 'alpha', transport, url: fixture.url }, fixture };
}

for (const transport of ['stdio', 'streamable-http', 'sse']) {
  describe(`a ${transport} backend`, () => {
    it('is aggregated and every kind of request is routed to it with arguments and _meta intact', async () => {
      const { backend, fixture } = await backendFor(transport);
      try {
        await using gw = await startGateway({ name: 'transports', backends: [backend] });
        await using client = await connectClient(gw.url);
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['alpha_fail', 'alpha_greet']);

        const result = await client.request({
          method: 'tools/call',
          params: { name: 'alpha_greet', arguments: { who: 'world' }, _meta: { 'example.com/trace': 'abc' } },
        });
        assert.equal(text(result as never), 'alpha:greet:{"who":"world"}', 'the backend sees its own tool name and the arguments');
        const seenMeta = (result as { structuredContent: { _meta: Record<string, unknown> } }).structuredContent._meta;
        assert.equal(seenMeta['example.com/trace'], 'abc', '_meta reaches the backend');

        const failed = await client.request({ method: 'tools/call', params: { name: 'alpha_fail', arguments: {} } });
        assert.equal((failed as { isError?: boolean }).isError, true, 'an isError result stays a result');

        const prompt = await client.request({ method: 'prompts/get', params: { name: 'alpha_hello', arguments: { a: '1' } } });
        assert.match(JSON.stringify(prompt), /alpha:hello:/);
        const read = await client.request({ method: 'resources/read', params: { uri: 'alpha://readme' } });
        assert.match(JSON.stringify(read), /alpha:alpha:\/\/readme/);
        const templated = await client.request({ method: 'resources/read', params: { uri: 'alpha://item/42' } });
        assert.match(JSON.stringify(templated), /alpha:alpha:\/\/item\/42/);
        const done = await client.request({
          method: 'completion/complete',
          params: { ref: { type: 'ref/prompt', name: 'alpha_hello' }, argument: { name: 'a', value: 'x' } },
        });
        assert.deepEqual((done as { completion: { values: string[] } }).completion.values, ['alpha:a:x']);
      } finally {
        await fixture?.close();
      }
    });
  });
}
