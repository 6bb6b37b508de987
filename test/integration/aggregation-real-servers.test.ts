// The gateway in front of real third-party servers (server-everything, server-memory over stdio),
// driven by a real MCP client over Streamable HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channels, type BackendStderrEvent } from '../../src/observability/channels.js';
import { connectClient, descendants, EVERYTHING, MEMORY, startGateway, stdioBackend, text, type TestGateway } from '../helpers/gateway.js';

describe('aggregating server-everything and server-memory', () => {
  let gw: TestGateway;
  const stderr: BackendStderrEvent[] = [];
  const onStderr = (e: unknown) => void stderr.push(e as BackendStderrEvent);
  before(async () => {
    channels.backendStderr.subscribe(onStderr);
    gw = await startGateway({
      name: 'agg-test',
      backends: [
        stdioBackend('everything', EVERYTHING, ['stdio']),
        stdioBackend('memory', MEMORY, [], { env: { MEMORY_FILE_PATH: `/tmp/vmcp-test-memory-${process.pid}.jsonl` } }),
      ],
    });
  });
  after(async () => {
    channels.backendStderr.unsubscribe(onStderr);
    await gw.close();
  });

  it("passes each stdio backend's stderr to the gateway log, tagged with the backend name", () => {
    assert.ok(
      stderr.some((e) => e.backend === 'everything' && /STDIO/i.test(e.line)),
      JSON.stringify(stderr),
    );
    assert.ok(
      stderr.some((e) => e.backend === 'memory'),
      JSON.stringify(stderr),
    );
  });

  it('lists the tools of both backends with the default "{workload}_" prefix', async () => {
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('everything_echo'), names.join());
    assert.ok(names.includes('memory_create_entities'), names.join());
    assert.ok(names.every((n) => n.startsWith('everything_') || n.startsWith('memory_')));
    const echo = tools.find((t) => t.name === 'everything_echo')!;
    assert.equal(typeof echo.inputSchema, 'object', 'tool definitions pass through');
  });

  it('routes tools/call to the owning backend and returns its result unchanged', async () => {
    await using client = await connectClient(gw.url);
    const result = await client.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'hi there' } } });
    assert.equal(text(result as never), 'Echo: hi there');
    const created = await client.request({
      method: 'tools/call',
      params: {
        name: 'memory_create_entities',
        arguments: { entities: [{ name: 'vmcp', entityType: 'project', observations: ['gateway'] }] },
      },
    });
    assert.match(text(created as never), /vmcp/);
  });

  it('names an unknown tool, prompt or resource in the error', async () => {
    await using client = await connectClient(gw.url);
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'nope_tool', arguments: {} } }),
      /Unknown tool: "nope_tool"/,
    );
    await assert.rejects(client.request({ method: 'prompts/get', params: { name: 'nope_prompt' } }), /Unknown prompt: "nope_prompt"/);
    await assert.rejects(
      client.request({ method: 'resources/read', params: { uri: 'nope://x' } }),
      (e: Error & { code?: number }) => e.code === -32602 && /Resource not found: "nope:\/\/x/.test(e.message),
    );
  });

  it('serves prompts, resources, resource templates and completions of the backends', async () => {
    await using client = await connectClient(gw.url);
    const { prompts } = await client.listPrompts();
    assert.ok(
      prompts.some((p) => p.name === 'everything_simple-prompt'),
      prompts.map((p) => p.name).join(),
    );
    const prompt = await client.request({ method: 'prompts/get', params: { name: 'everything_simple-prompt' } });
    assert.ok(Array.isArray((prompt as { messages: unknown[] }).messages));
    const { resources } = await client.listResources();
    const doc = resources.find((r) => r.uri.startsWith('demo://resource/static/document/'));
    assert.ok(doc, 'static documents are listed with their original URIs');
    const read = await client.request({ method: 'resources/read', params: { uri: doc.uri } });
    assert.equal((read as { contents: { uri: string }[] }).contents[0]!.uri, doc.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'demo://resource/dynamic/text/{resourceId}'));
    const dyn = await client.request({ method: 'resources/read', params: { uri: 'demo://resource/dynamic/text/1' } });
    assert.ok((dyn as { contents: unknown[] }).contents.length > 0, 'a templated URI routes by template match');
    const completion = await client.request({
      method: 'completion/complete',
      params: { ref: { type: 'ref/prompt', name: 'everything_completable-prompt' }, argument: { name: 'department', value: 'E' } },
    });
    assert.ok((completion as { completion: { values: string[] } }).completion.values.includes('Engineering'));
  });

  it("advertises the union of the backends' capabilities", async () => {
    await using client = await connectClient(gw.url);
    const caps = client.getServerCapabilities()!;
    assert.ok(caps.tools && caps.prompts && caps.resources && caps.logging && caps.completions);
    assert.equal(client.getServerVersion()?.name, 'agg-test');
  });

  it('reports one shared process per stdio backend, whatever the number of sessions', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connectClient(gw.url)));
    await Promise.all(
      clients.map((c) => c.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'x' } } })),
    );
    assert.equal(descendants('server-everything/dist/index.js').length, 1, 'one server-everything process for three sessions');
    assert.equal(descendants('server-memory/dist/index.js').length, 1, 'one server-memory process for three sessions');
    await Promise.all(clients.map((c) => c.close()));
  });
});
