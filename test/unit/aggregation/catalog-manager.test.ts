// CatalogManager at scale and with partial failures, over real stdio backends: one build after
// the initial connect round, a burst of refreshes coalesced into one discovery in flight plus one
// pending, each kind discovered on its own (a failing resources/list keeps the tools) and retried.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { CatalogManager } from '../../../src/aggregation/catalog-manager.js';
import { ClientConnector } from '../../../src/backends/client-connector.js';
import { createStdioTransport } from '../../../src/backends/stdio/transport.js';
import type { AggregationConfig } from '../../../src/config/types.js';
import { FIXTURES, ROOT, text, waitFor } from '../../helpers/gateway.js';

const agg: AggregationConfig = {
  conflictResolution: 'prefix',
  prefixFormat: '{workload}_',
  priorityOrder: [],
  excludeAllTools: false,
  defaultToolVisibility: 'allow',
  maxToolNameLength: 64,
  tools: {},
};

function backend(name: string, script: string, env: Record<string, string> = {}): ClientConnector {
  const config = { name, transport: 'stdio', command: 'node', args: [script], env, cwd: ROOT } as never;
  return new ClientConnector({
    name,
    transport: 'stdio',
    createTransport: () => createStdioTransport(config, { maxResultBytes: 1 << 24, stderrLinesPerSecond: 100 }),
    connectTimeoutMs: 15_000,
    requestTimeoutMs: 15_000,
    protocolVersion: 'legacy',
    clientInfo: { name: 'test', version: '1' },
    limits: { exclusiveWaitMs: 5000, notificationsPerSecond: 100 },
  });
}

const named = (name: string, tools: string[]) =>
  backend(name, `${FIXTURES}/named.mjs`, { NAMED_SPEC: JSON.stringify({ name, tools: tools.map((t) => ({ name: t })) }) });

/** Start like the gateway does: connect all, rediscover on ready and on list_changed. */
async function start(connectors: ClientConnector[], options: ConstructorParameters<typeof CatalogManager>[3] = {}) {
  const mgr = new CatalogManager(connectors, agg, () => 10_000, options);
  for (const c of connectors)
    c.subscribe({ onReady: (conn) => void mgr.refresh(conn), onListChanged: (conn, kind) => void mgr.refresh(conn, kind) });
  for (const c of connectors) c.start();
  await Promise.all(connectors.map((c) => c.firstAttempt()));
  await mgr.settled();
  return mgr;
}

async function stats(c: ClientConnector): Promise<Record<string, number>> {
  return JSON.parse(text(await c.request({ method: 'tools/call', params: { name: 'stats', arguments: {} } }))) as Record<string, number>;
}

describe('CatalogManager', () => {
  const all: ClientConnector[] = [];
  after(() => Promise.all(all.map((c) => c.close())));

  it('builds the catalog once after the initial connect round', async () => {
    const connectors = ['a', 'b', 'c', 'd', 'e'].map((n) => named(n, [`${n}1`, `${n}2`]));
    all.push(...connectors);
    let builds = 0;
    const onBuild = () => void builds++;
    diagnostics.subscribe('vmcp:catalog:rebuilt', onBuild);
    try {
      const mgr = await start(connectors);
      assert.equal(builds, 1, 'one build for five backends coming up');
      assert.equal(mgr.catalog.tools.length, 10);
      mgr.close();
    } finally {
      diagnostics.unsubscribe('vmcp:catalog:rebuilt', onBuild);
    }
  });

  it('coalesces a burst of 20,000 refreshes into one discovery in flight and one pending', async () => {
    const flaky = backend('flaky', `${FIXTURES}/flaky-lists.mjs`);
    all.push(flaky);
    const mgr = await start([flaky], { kindRetry: { initialMs: 600_000, maxMs: 600_000, factor: 1, jitter: 0 } });
    assert.equal((await stats(flaky))['tools/list'], 1);
    await Promise.all(Array.from({ length: 20_000 }, () => mgr.refresh(flaky, 'tools')));
    const after = await stats(flaky);
    assert.ok(after['tools/list']! <= 3, `tools/list was sent ${after['tools/list']} times`);
    assert.equal(after['resources/list'], 1, 'a tools list_changed re-lists only tools');
    mgr.close();
  });

  it('keeps the tools of a backend whose resources/list fails, shows the failure and retries the kind', async () => {
    const flaky = backend('flaky2', `${FIXTURES}/flaky-lists.mjs`);
    all.push(flaky);
    const mgr = await start([flaky], { kindRetry: { initialMs: 100, maxMs: 100, factor: 1, jitter: 0 } });
    assert.ok(mgr.catalog.tool('flaky2_tool_1'), 'the tools are served');
    assert.match(mgr.kindErrors('flaky2').get('resources') ?? '', /database is not reachable/);
    assert.equal(mgr.kindErrors('flaky2').has('tools'), false);
    const changes: string[][] = [];
    mgr.onChange((kinds) => changes.push(kinds));
    await flaky.request({ method: 'tools/call', params: { name: 'heal', arguments: {} } });
    await waitFor(() => mgr.catalog.resource('flaky://ok'), 'the resource after a retry');
    assert.equal(mgr.kindErrors('flaky2').size, 0);
    assert.deepEqual(changes, [['resources']]);
    mgr.close();
  });

  it('reports a change only when a backend list really changed', async () => {
    const c = named('n', ['hello', 'add_tool']);
    all.push(c);
    const mgr = await start([c]);
    const changes: string[][] = [];
    mgr.onChange((kinds) => changes.push(kinds));
    const version = mgr.catalog.version;
    await mgr.refresh(c);
    assert.deepEqual(changes, [], 'the same lists again: nothing to announce');
    assert.equal(mgr.catalog.version, version, 'and no rebuild');
    await c.request({ method: 'tools/call', params: { name: 'add_tool', arguments: { name: 'fresh' } } });
    await waitFor(() => mgr.catalog.tool('n_fresh'), 'the added tool');
    assert.deepEqual(changes, [['tools']]);
    mgr.close();
  });

  it('takes a backend whose connection dropped out of the catalog until it is back and rediscovered', async () => {
    const crashy = backend('crashy', `${FIXTURES}/crash-on-call.mjs`);
    all.push(crashy);
    const mgr = await start([crashy]);
    const changes: string[][] = [];
    mgr.onChange((kinds) => changes.push(kinds));
    await crashy.request({ method: 'tools/call', params: { name: 'crash', arguments: {} } }).catch(() => undefined);
    await waitFor(() => mgr.catalog.tool('crashy_ok') === undefined, 'crashy out of the catalog');
    assert.ok(mgr.fullCatalog.tool('crashy_ok'), 'what it offers is kept');
    await waitFor(() => mgr.catalog.tool('crashy_ok'), 'crashy back after its restart', 15_000);
    assert.deepEqual(changes, [['tools'], ['tools']]);
    mgr.close();
  });
});
