// Conflict resolution, curation, pagination and live list_changed with real fixture backends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';

const named = (name: string, spec: Record<string, unknown>) =>
  stdioBackend(name, `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: JSON.stringify({ name, ...spec }) } });
const both = [
  named('alpha', { tools: [{ name: 'search' }, { name: 'only_a' }], prompts: ['summary'] }),
  named('beta', { tools: [{ name: 'search' }, { name: 'only_b' }], prompts: ['summary'] }),
];

async function toolNames(config: Record<string, unknown>): Promise<string[]> {
  await using gw = await startGateway({ name: 'naming', ...config });
  await using client = await connectClient(gw.url);
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

describe('conflict resolution', () => {
  it('prefix: every tool and prompt gets its backend prefix, with a custom format', async () => {
    await using gw = await startGateway({
      name: 'n',
      backends: both,
      aggregation: { conflictResolutionConfig: { prefixFormat: '{workload}-' } },
    });
    await using client = await connectClient(gw.url);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), [
      'alpha-only_a',
      'alpha-search',
      'beta-only_b',
      'beta-search',
    ]);
    assert.deepEqual((await client.listPrompts()).prompts.map((p) => p.name).sort(), ['alpha-summary', 'beta-summary']);
    const r = await client.request({ method: 'tools/call', params: { name: 'beta-search', arguments: {} } });
    assert.equal(text(r as never), 'beta:search:{}');
  });

  it('priority: the earlier backend wins a conflict, unique names stay bare', async () => {
    await using gw = await startGateway({
      name: 'n',
      backends: both,
      aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['beta', 'alpha'] } },
    });
    await using client = await connectClient(gw.url);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['only_a', 'only_b', 'search']);
    const r = await client.request({ method: 'tools/call', params: { name: 'search', arguments: {} } });
    assert.equal(text(r as never), 'beta:search:{}');
    assert.ok(
      gw.problems.some((p) => p.severity === 'warning' && p.name === 'search'),
      'the hidden loser is reported',
    );
  });

  it('manual: an unresolved conflict stops the gateway with an error naming both backends', async () => {
    await assert.rejects(
      startGateway({ name: 'n', backends: both, aggregation: { conflictResolution: 'manual' } }),
      (err: Error) => /tool "search" is provided by "alpha" and "beta"/.test(err.message) && /overrides/.test(err.message),
    );
  });

  it('manual: overrides resolve the conflict and calls reach the renamed tool', async () => {
    await using gw = await startGateway({
      name: 'n',
      backends: both,
      aggregation: {
        conflictResolution: 'manual',
        tools: [{ workload: 'beta', overrides: { search: { name: 'search_beta', description: 'Beta search' } } }],
      },
    });
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['only_a', 'only_b', 'search', 'search_beta']);
    assert.equal(tools.find((t) => t.name === 'search_beta')!.description, 'Beta search');
    const r = await client.request({ method: 'tools/call', params: { name: 'search_beta', arguments: { q: 1 } } });
    assert.equal(text(r as never), 'beta:search:{"q":1}', 'the backend gets its original name');
  });
});

describe('curation', () => {
  it('filter, excludeAll and excludeAllTools decide what is advertised; hidden tools are not callable', async () => {
    assert.deepEqual(
      await toolNames({
        backends: both,
        aggregation: {
          tools: [
            { workload: 'alpha', filter: ['only_a'] },
            { workload: 'beta', excludeAll: true },
          ],
        },
      }),
      ['alpha_only_a'],
    );
    assert.deepEqual(await toolNames({ backends: both, aggregation: { excludeAllTools: true } }), []);
    await using gw = await startGateway({ name: 'n', backends: both, aggregation: { tools: [{ workload: 'alpha', filter: ['only_a'] }] } });
    await using client = await connectClient(gw.url);
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'alpha_search', arguments: {} } }),
      /Unknown tool: "alpha_search"/,
    );
  });

  it('names longer than maxToolNameLength are shortened with a hash, never truncated into a collision', async () => {
    const long = 'x'.repeat(70);
    const names = await toolNames({ backends: [named('alpha', { tools: [{ name: `${long}_one` }, { name: `${long}_two` }] })] });
    assert.equal(names.length, 2);
    for (const n of names) assert.ok(n.length <= 64, n);
    assert.notEqual(names[0], names[1]);
    assert.match(names[0]!, /^alpha_x+_[0-9a-f]{8}$/);
  });
});

describe('discovery and list_changed', () => {
  it('follows backend pagination to the end', async () => {
    const tools = Array.from({ length: 25 }, (_, i) => ({ name: `t${String(i).padStart(2, '0')}` }));
    const names = await toolNames({ backends: [named('paged', { tools, pageSize: 4, prompts: ['p'] })] });
    assert.equal(names.length, 25);
  });

  it('rebuilds the catalog when a backend says tools/list_changed and tells connected clients', async () => {
    await using gw = await startGateway({ name: 'n', backends: [named('alpha', { tools: [{ name: 'add_tool' }] })] });
    await using client = await connectClient(gw.url);
    let notified = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void (notified += 1));
    await client.request({ method: 'tools/call', params: { name: 'alpha_add_tool', arguments: { name: 'fresh' } } });
    await waitFor(() => notified > 0, 'tools/list_changed at the client');
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('alpha_fresh'), names.join());
    const r = await client.request({ method: 'tools/call', params: { name: 'alpha_fresh', arguments: {} } });
    assert.equal(text(r as never), 'alpha:fresh:{}');
  });
});
