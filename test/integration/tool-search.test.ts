// Tool search through the front door: eleven real servers (server-everything and server-memory
// instances under different names) behind a Cedar-guarded gateway with the optimizer on. A
// 2025-era and a 2026-07-28 client find and call tools; the policy's hidden backend is neither
// found nor callable; a killed backend's tools leave the results and come back with it; the
// `serve --stdio --optimizer` CLI serves the same two tools over stdio.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { channels, type OptimizerEvent } from '../../src/observability/channels.js';
import {
  connectClient,
  descendants,
  EVERYTHING,
  FIXTURES,
  MEMORY,
  ROOT,
  startGateway,
  stdioBackend,
  text,
  waitFor,
  type TestGateway,
} from '../helpers/gateway.js';

const POLICY = `
@id("everyone") permit(principal, action, resource);
@id("no-vault") forbid(principal, action, resource in Backend::"vault");
`;
const EVERYTHINGS = ['everything', 'demo'];
const MEMORIES = ['memory', 'notes', 'crm', 'people', 'projects', 'journal', 'scratch', 'archive', 'vault'];

interface Found {
  tools: { name: string; inputSchema?: unknown }[];
  token_metrics: { baseline_tokens: number; returned_tokens: number; savings_percent: number };
}

async function find(client: Client, description: string, keywords: string[] = []): Promise<Found> {
  const result = await client.callTool({ name: 'find_tool', arguments: { tool_description: description, tool_keywords: keywords } });
  assert.notEqual(result.isError, true, text(result));
  return result.structuredContent as unknown as Found;
}

const names = (found: Found) => found.tools.map((t) => t.name);

describe('tool search (optimizer) through the gateway', () => {
  let gw: TestGateway;
  const dir = mkdtempSync(join(tmpdir(), 'vmcp-search-'));
  const events: OptimizerEvent[] = [];
  const onEvent = (e: unknown) => void events.push(e as OptimizerEvent);

  before(async () => {
    channels.optimizer.subscribe(onEvent);
    gw = await startGateway({
      name: 'search-test',
      incomingAuth: { type: 'anonymous', authz: { type: 'cedar', policies: [POLICY] } },
      optimizer: { maxToolsToReturn: 20, alwaysAdvertise: ['everything_echo', 'vault_read_graph'] },
      backends: [
        ...EVERYTHINGS.map((n) => stdioBackend(n, EVERYTHING, ['stdio', `vmcp-search-${n}`])),
        ...MEMORIES.map((n) => stdioBackend(n, MEMORY, [`vmcp-search-${n}`], { env: { MEMORY_FILE_PATH: join(dir, `${n}.jsonl`) } })),
        stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio']),
      ],
    });
  });
  after(async () => {
    channels.optimizer.unsubscribe(onEvent);
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises find_tool, call_tool and the visible alwaysAdvertise tools instead of the catalog', async () => {
    assert.ok(gw.catalog.tools.length > 90, `catalog of ${gw.catalog.tools.length} tools`);
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['find_tool', 'call_tool', 'everything_echo'],
      'vault_read_graph is hidden by the policy, so it is not advertised either',
    );
  });

  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`a ${era} client finds a tool by paraphrase and calls it through call_tool (nested tool_name hoisted too)`, async () => {
      await using client = await connectClient(gw.url, { era });
      const found = await find(client, 'repeat my message back to me', ['echo']);
      // Two identical servers: their echo tools tie for the top.
      assert.deepEqual(names(found).slice(0, 2).sort(), ['demo_echo', 'everything_echo'], JSON.stringify(names(found)));
      assert.ok(found.tools[0]!.inputSchema, 'full definitions are returned');
      assert.ok(found.token_metrics.savings_percent > 80, JSON.stringify(found.token_metrics));
      const direct = await client.callTool({
        name: 'call_tool',
        arguments: { tool_name: 'demo_echo', parameters: { message: `hi ${era}` } },
      });
      assert.match(text(direct), new RegExp(`hi ${era}`));
      const nested = await client.callTool({
        name: 'call_tool',
        arguments: {
          parameters: { tool_name: 'notes_create_entities', entities: [{ name: era, entityType: 'era', observations: ['seen'] }] },
        },
      });
      assert.notEqual(nested.isError, true, text(nested));
      const graph = await client.callTool({ name: 'call_tool', arguments: { tool_name: 'notes_read_graph', parameters: {} } });
      assert.match(text(graph), new RegExp(era));
    });
  }

  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`a ${era} client gets the real tool's progress and answers its mid-call request through call_tool`, async () => {
      await using client = await connectClient(gw.url, { era, capabilities: { elicitation: { form: {} } } });
      client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { username: era } }));
      const progress: number[] = [];
      await client.request(
        { method: 'tools/call', params: { name: 'call_tool', arguments: { tool_name: 'conf_test_tool_with_progress', parameters: {} } } },
        { onprogress: (p) => void progress.push(p.progress) },
      );
      assert.deepEqual(progress, [0, 50, 100]);
      const asked = await client.callTool({
        name: 'call_tool',
        arguments: { tool_name: 'conf_test_elicitation', parameters: { message: 'who?' } },
      });
      assert.match(text(asked), new RegExp(`action=accept, content=\\{"username":"${era}"`));
    });
  }

  it('never finds or calls a tool of the backend the policy hides', async () => {
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    const found = await find(client, 'read the entire knowledge graph', ['read', 'graph']);
    const graphs = names(found).filter((n) => n.endsWith('_read_graph'));
    assert.equal(graphs.length, MEMORIES.length - 1, JSON.stringify(names(found)));
    assert.ok(!names(found).some((n) => n.startsWith('vault_')), JSON.stringify(names(found)));
    const visibleTokens = found.token_metrics.baseline_tokens;
    await assert.rejects(
      client.callTool({ name: 'call_tool', arguments: { tool_name: 'vault_read_graph', parameters: {} } }),
      /Forbidden|not permitted/,
    );
    await assert.rejects(client.callTool({ name: 'vault_read_graph', arguments: {} }), /Forbidden|not permitted/);
    assert.ok(visibleTokens < gw.catalog.tools.length * 1000, 'the baseline counts only what the caller may list');
    const call = events.findLast((e) => e.op === 'call_tool');
    assert.deepEqual(
      { op: call?.op, outcome: call?.outcome, tool: call?.tool },
      { op: 'call_tool', outcome: 'error', tool: 'vault_read_graph' },
    );
    assert.ok(events.some((e) => e.op === 'find_tool' && e.outcome === 'ok' && e.results === found.tools.length));
  });

  it("drops a killed backend's tools from the results at once, and finds them again when it is back", async () => {
    await using client = await connectClient(gw.url);
    const scratch = (f: Found) => names(f).includes('scratch_read_graph');
    assert.ok(scratch(await find(client, 'read the entire knowledge graph', ['graph'])));
    const [pid] = descendants('vmcp-search-scratch');
    assert.ok(pid, 'the scratch backend process');
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => !scratch(await find(client, 'read the entire knowledge graph', ['graph'])), 'scratch tools to leave');
    await waitFor(async () => scratch(await find(client, 'read the entire knowledge graph', ['graph'])), 'scratch tools to return', 20_000);
  });
});

describe('tool search over stdio (serve --stdio --optimizer)', () => {
  it('lists the meta-tools and calls a backend tool through call_tool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmcp-search-cli-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/run.ts'),
        'serve',
        '--stdio',
        '--optimizer',
        '--log-level',
        'warn',
        '--config',
        join(ROOT, 'test/fixtures/search-stdio.yaml'),
      ],
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), VMCP_TEST_MEMORY: MEMORY, MEMORY_FILE_PATH: join(dir, 'm.jsonl') },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ['find_tool', 'call_tool'],
      );
      const found = await find(client, 'look up nodes in the knowledge graph by a query', ['search']);
      assert.equal(names(found)[0], 'memory_search_nodes', JSON.stringify(names(found)));
      const result = await client.callTool({ name: 'call_tool', arguments: { tool_name: 'memory_read_graph', parameters: {} } });
      assert.match(text(result), /entities/);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
