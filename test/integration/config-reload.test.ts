// Live config reload through the front door: a client stays connected while backends are added,
// removed and changed; it keeps its session, hears tools/list_changed, can call the new tools and
// no longer sees the removed ones; a call in flight to an unchanged backend finishes; an invalid
// edit is refused with its line and the old config keeps serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gateway } from '../../src/app/gateway.js';
import { describeReload, Reloader, type ReloadOutcome } from '../../src/app/reload.js';
import { loadConfigFile } from '../../src/config/load.js';
import { FIXTURES, connectClient, text, waitFor } from '../helpers/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'vmcp-reload-'));
const file = join(dir, 'vmcp.yaml');

function named(name: string, tools: string[]): Record<string, unknown> {
  const spec = JSON.stringify({ name, tools: tools.map((t) => ({ name: t })) });
  return { name, transport: 'stdio', command: process.execPath, args: [`${FIXTURES}/named.mjs`], env: { NAMED_SPEC: spec } };
}
const slow = { name: 'slow', transport: 'stdio', command: process.execPath, args: [`${FIXTURES}/slow.mjs`] };

function write(backends: Record<string, unknown>[]): void {
  writeFileSync(file, JSON.stringify({ name: 'reload', server: { port: 0 }, backends }, null, 2));
}

let gw: Gateway;
let reloader: Reloader;
const outcomes: ReloadOutcome[] = [];

before(async () => {
  write([named('alpha', ['a1']), named('beta', ['b1']), slow]);
  const { config, issues } = await loadConfigFile(file);
  assert.ok(config, JSON.stringify(issues));
  gw = await Gateway.start(config);
  reloader = new Reloader({ path: file, gateway: gw, report: (o) => void outcomes.push(o) });
});

after(async () => {
  reloader?.[Symbol.dispose]();
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = async (c: Awaited<ReturnType<typeof connectClient>>) => (await c.listTools()).tools.map((t) => t.name).sort();

test('add, remove and change backends under a connected client; a call in flight to an unchanged backend finishes', async () => {
  await using client = await connectClient(gw.url!);
  const session = client.transport?.sessionId;
  let changes = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => void (changes += 1));
  assert.deepEqual(await names(client), ['alpha_a1', 'beta_b1', 'slow_sleep']);
  const alphaBefore = gw.connectors.find((c) => c.name === 'alpha');
  const slowBefore = gw.connectors.find((c) => c.name === 'slow');

  const inFlight = client.callTool({ name: 'slow_sleep', arguments: { ms: 1500 } });
  write([named('alpha', ['a1', 'a2']), named('gamma', ['g1']), slow]);
  const outcome = await reloader.reload();
  assert.equal(outcome.kind, 'applied', JSON.stringify(outcome));
  assert.deepEqual(outcome.kind === 'applied' && outcome.diff.backends, {
    added: ['gamma'],
    removed: ['beta'],
    changed: ['alpha'],
    unchanged: ['slow'],
  });

  assert.match(text(await inFlight), /slept 1500ms/, 'the call to the unchanged backend finished');
  await waitFor(() => changes > 0, 'tools/list_changed after the reload');
  assert.deepEqual(await names(client), ['alpha_a1', 'alpha_a2', 'gamma_g1', 'slow_sleep']);
  assert.match(text(await client.callTool({ name: 'gamma_g1', arguments: {} })), /^gamma:g1:/);
  assert.match(text(await client.callTool({ name: 'alpha_a2', arguments: {} })), /^alpha:a2:/);
  await assert.rejects(client.callTool({ name: 'beta_b1', arguments: {} }), /beta_b1/);
  assert.equal(client.transport?.sessionId, session, 'the same session, never re-initialized');
  assert.notEqual(
    gw.connectors.find((c) => c.name === 'alpha'),
    alphaBefore,
    'the changed backend was replaced',
  );
  assert.equal(
    gw.connectors.find((c) => c.name === 'slow'),
    slowBefore,
    'the unchanged backend kept its connection',
  );
  assert.deepEqual(
    gw.status().backends.map((b) => b.name),
    ['alpha', 'gamma', 'slow'],
  );
});

test('an invalid edit is refused with its line, and the old config keeps serving', async () => {
  await using client = await connectClient(gw.url!);
  const before = await names(client);
  writeFileSync(file, 'name: reload\nserver:\n  port: 0\nbackends:\n  - name: broken\n    transport: stdio\n    command: 42\n');
  const outcome = await reloader.reload();
  assert.equal(outcome.kind, 'refused');
  const issue = outcome.kind === 'refused' ? outcome.issues.find((i) => i.severity === 'error') : undefined;
  assert.equal(issue?.line, 7, `the error names its line: ${JSON.stringify(issue)}`);
  assert.deepEqual(await names(client), before);
  assert.match(text(await client.callTool({ name: 'gamma_g1', arguments: {} })), /^gamma:g1:/);
  assert.deepEqual(
    gw.config.backends.map((b) => b.name),
    ['alpha', 'gamma', 'slow'],
  );
});

test('--watch: a file change is picked up by itself (debounced)', async () => {
  await using client = await connectClient(gw.url!);
  const seen = outcomes.length;
  reloader.watch();
  write([named('alpha', ['a1', 'a2']), named('gamma', ['g1']), named('delta', ['d1']), slow]);
  await waitFor(() => outcomes.slice(seen).some((o) => o.kind === 'applied'), 'a reload after the file changed');
  await waitFor(async () => (await names(client)).includes('delta_d1'), 'the new backend listed');
});

test('a changed aggregation rule rebuilds the catalog under the same connections and tells the client', async () => {
  await using client = await connectClient(gw.url!);
  let changes = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => void (changes += 1));
  const connections = gw.connectors;
  const backends = [named('alpha', ['a1', 'a2']), named('gamma', ['g1']), named('delta', ['d1']), slow];
  const aggregation = { conflictResolution: 'prefix', conflictResolutionConfig: { prefixFormat: '{workload}.' } };
  writeFileSync(file, JSON.stringify({ name: 'reload', server: { port: 0 }, aggregation, backends }, null, 2));
  const outcome = await reloader.reload();
  assert.equal(outcome.kind, 'applied', JSON.stringify(outcome));
  assert.deepEqual(outcome.kind === 'applied' && [...outcome.diff.live], ['aggregation']);
  await waitFor(() => changes > 0, 'tools/list_changed after the new naming rule');
  assert.deepEqual(await names(client), ['alpha.a1', 'alpha.a2', 'delta.d1', 'gamma.g1', 'slow.sleep']);
  assert.match(text(await client.callTool({ name: 'delta.d1', arguments: {} })), /^delta:d1:/);
  assert.deepEqual(gw.connectors, connections, 'no backend was touched');
});

test('changed Cedar policies apply to the connected client; an invalid policy is refused', async () => {
  const policy = (p: string) =>
    JSON.stringify({
      name: 'p',
      server: { port: 0 },
      incomingAuth: { type: 'anonymous', authz: { type: 'cedar', policies: [p] } },
      backends: [named('alpha', ['a1'])],
    });
  writeFileSync(file, policy('permit(principal, action, resource);'));
  const { config } = await loadConfigFile(file);
  await using pgw = await Gateway.start(config!);
  const seen: ReloadOutcome[] = [];
  const r = new Reloader({ path: file, gateway: pgw, report: (o) => void seen.push(o) });
  await using client = await connectClient(pgw.url!);
  assert.match(text(await client.callTool({ name: 'alpha_a1', arguments: {} })), /^alpha:a1:/);
  writeFileSync(file, policy('permit(principal, action, resource) unless { resource == Tool::"alpha_a1" };'));
  const applied = await r.reload();
  assert.deepEqual(applied.kind === 'applied' && [...applied.diff.live], ['authz'], JSON.stringify(applied));
  await assert.rejects(client.callTool({ name: 'alpha_a1', arguments: {} }), /denied|not allowed|403|forbid/i);
  writeFileSync(file, policy('permit(principal, action, resource'));
  const refused = await r.reload();
  assert.equal(refused.kind, 'refused', JSON.stringify(refused));
  await assert.rejects(
    client.callTool({ name: 'alpha_a1', arguments: {} }),
    /denied|not allowed|403|forbid/i,
    'the last good policies still apply',
  );
  r[Symbol.dispose]();
});

test('changed feature sections rebuild their feature live: composite tools, tool search, rate limits; a refused one keeps the old', async () => {
  const backends = [named('alpha', ['a1'])];
  const workflow = (step: string) => ({
    name: 'twice',
    description: 'calls a1 twice',
    steps: [
      { id: 'one', tool: step },
      { id: 'two', tool: step, dependsOn: ['one'] },
    ],
  });
  const save = (extra: Record<string, unknown>) =>
    writeFileSync(file, JSON.stringify({ name: 'features', server: { port: 0 }, backends, ...extra }, null, 2));
  save({});
  const { config } = await loadConfigFile(file);
  await using fgw = await Gateway.start(config!);
  const r = new Reloader({ path: file, gateway: fgw, report: () => undefined });
  await using client = await connectClient(fgw.url!);
  let changes = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => void (changes += 1));
  assert.deepEqual(await names(client), ['alpha_a1']);

  // A composite tool appears, is listed and runs; /status counts it.
  save({ compositeTools: [workflow('alpha_a1')] });
  const added = await r.reload();
  assert.deepEqual(added.kind === 'applied' && [...added.diff.features], ['compositeTools'], JSON.stringify(added));
  await waitFor(() => changes > 0, 'tools/list_changed for the new composite tool');
  assert.deepEqual(await names(client), ['alpha_a1', 'composite_twice']);
  assert.match(text(await client.callTool({ name: 'composite_twice', arguments: {} })), /"server":"alpha","tool":"a1"/);
  assert.deepEqual(fgw.status().virtualTools, { composite: 1 });

  // A composite taking a backend tool's name is refused when it starts: the old workflow keeps serving.
  save({ compositeTools: [{ ...workflow('alpha_a1'), name: 'alpha_a1' }] });
  const refused = await r.reload();
  assert.equal(refused.kind, 'applied', JSON.stringify(refused));
  const kept = refused.kind === 'applied' ? refused.diff.kept : undefined;
  assert.deepEqual(
    kept?.map((k) => k.section),
    ['compositeTools'],
  );
  assert.match(kept?.[0]?.reason ?? '', /already named "alpha_a1"/);
  assert.match(describeReload(refused, file), /kept the previous compositeTools \(.*already named/);
  assert.match(text(await client.callTool({ name: 'composite_twice', arguments: {} })), /"server":"alpha","tool":"a1"/);
  assert.equal(fgw.config.compositeTools[0]?.name, 'twice', 'the running config says what runs');

  // Tool search on: the list becomes the two meta-tools, and find_tool finds the backend's tool.
  save({ compositeTools: [workflow('alpha_a1')], optimizer: {} });
  const search = await r.reload();
  assert.deepEqual(search.kind === 'applied' && [...search.diff.features], ['optimizer'], JSON.stringify(search));
  await waitFor(async () => (await names(client)).includes('find_tool'), 'find_tool advertised');
  assert.match(text(await client.callTool({ name: 'find_tool', arguments: { tool_description: 'a1' } })), /alpha_a1/);

  // Rate limits added: the next calls of a1 past the bucket are refused, naming the limit.
  save({ optimizer: {}, rateLimiting: { tools: [{ name: 'alpha_a1', shared: { maxTokens: 1, refillPeriod: '1h' } }] } });
  const limited = await r.reload();
  assert.deepEqual(
    limited.kind === 'applied' && [...limited.diff.features].sort(),
    ['compositeTools', 'rateLimiting'],
    JSON.stringify(limited),
  );
  await client.callTool({ name: 'call_tool', arguments: { tool_name: 'alpha_a1', parameters: {} } });
  const second = await client.callTool({ name: 'call_tool', arguments: { tool_name: 'alpha_a1', parameters: {} } }).catch((e: Error) => e);
  assert.match(second instanceof Error ? second.message : text(second), /rate limit|rateLimiting/i);
  r[Symbol.dispose]();
});
