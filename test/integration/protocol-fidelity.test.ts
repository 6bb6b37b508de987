// Protocol details through the gateway: gateway-side pagination, resource subscriptions fanned out
// only to subscribed sessions, roots relayed and roots/list_changed passed on, and capabilities
// that are the union of what the backends offer — no more.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channels, type BackendStderrEvent } from '../../src/observability/channels.js';
import { connectClient, EVERYTHING, FIXTURES, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';

const conf = stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio']);
const bare = { aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conf'] } } };

describe('protocol fidelity', () => {
  it('pages its aggregated lists with an opaque cursor that goes stale when the catalog changes', async () => {
    const spec = JSON.stringify({
      name: 'alpha',
      tools: Array.from({ length: 5 }, (_, i) => ({ name: `t${i}` })).concat([{ name: 'add_tool' }]),
    });
    await using gw = await startGateway({
      name: 'pages',
      server: { pageSize: 2 },
      backends: [stdioBackend('alpha', `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: spec } })],
    });
    await using client = await connectClient(gw.url);
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} });
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(new Set(names).size, 6);
    const first = await client.request({ method: 'tools/list', params: {} });
    await client.request({ method: 'tools/call', params: { name: 'alpha_add_tool', arguments: { name: 'late' } } });
    await waitFor(() => gw.catalog.tools.some((t) => t['name'] === 'alpha_late'), 'catalog rebuilt');
    await assert.rejects(client.request({ method: 'tools/list', params: { cursor: first.nextCursor! } }), /cursor is stale/);
  });

  it('without server.pageSize, a 2025-era client gets a list whole and a 2026-07-28 client pages of 1000', async () => {
    const spec = JSON.stringify({ name: 'many', tools: Array.from({ length: 1200 }, (_, i) => ({ name: `t${i}` })) });
    await using gw = await startGateway({
      name: 'default-pages',
      backends: [stdioBackend('many', `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: spec } })],
    });
    await using legacy = await connectClient(gw.url);
    const whole = await legacy.request({ method: 'tools/list', params: {} });
    assert.equal(whole.tools.length, 1200, 'a client that never follows nextCursor still sees every tool');
    assert.equal(whole.nextCursor, undefined);
    // Listed again (from the bytes kept for the catalog's list) on the same connection, then a call.
    assert.deepEqual(await legacy.request({ method: 'tools/list', params: {} }), whole);
    const called = await legacy.request({ method: 'tools/call', params: { name: 'many_t7', arguments: {} } });
    assert.match(text(called as never), /many:t7/);
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    const first = await modern.request({ method: 'tools/list', params: {} });
    assert.equal(first.tools.length, 1000);
    assert.ok(first.nextCursor);
    const rest = await modern.request({ method: 'tools/list', params: { cursor: first.nextCursor } });
    assert.equal(rest.tools.length, 200);
    assert.equal(rest.nextCursor, undefined);
    assert.equal(new Set([...first.tools, ...rest.tools].map((t) => t.name)).size, 1200);
  });

  it('delivers notifications/resources/updated only to sessions subscribed to that URI', async () => {
    await using gw = await startGateway({ name: 'subs', backends: [conf], ...bare });
    await using a = await connectClient(gw.url, { name: 'a' });
    await using b = await connectClient(gw.url, { name: 'b' });
    const got = { a: 0, b: 0 };
    a.setNotificationHandler('notifications/resources/updated', () => void (got.a += 1));
    b.setNotificationHandler('notifications/resources/updated', () => void (got.b += 1));
    await a.request({ method: 'resources/subscribe', params: { uri: 'test://watched-resource' } });
    const r = await b.request({ method: 'tools/call', params: { name: 'test_watched_resource_update', arguments: {} } });
    assert.match(text(r as never), /notified: true/);
    await waitFor(() => got.a === 1, 'the subscribed session is told');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(got.b, 0, 'the other session is not');
    await a.request({ method: 'resources/unsubscribe', params: { uri: 'test://watched-resource' } });
    const after = await b.request({ method: 'tools/call', params: { name: 'test_watched_resource_update', arguments: {} } });
    assert.match(text(after as never), /notified: false/, 'the last unsubscribe reached the backend');

    // A session that ends while subscribed releases its subscription at the backend too.
    await using c = await connectClient(gw.url, { name: 'c' });
    await c.request({ method: 'resources/subscribe', params: { uri: 'test://watched-resource' } });
    assert.match(
      text((await b.request({ method: 'tools/call', params: { name: 'test_watched_resource_update', arguments: {} } })) as never),
      /notified: true/,
    );
    await (c.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    await waitFor(
      async () =>
        /notified: false/.test(
          text((await b.request({ method: 'tools/call', params: { name: 'test_watched_resource_update', arguments: {} } })) as never),
        ),
      'released on session end',
    );
  });

  it('relays roots/list to the calling client and passes its roots/list_changed to the backend', async () => {
    const lines: string[] = [];
    const onLine = (e: unknown) => void lines.push((e as BackendStderrEvent).line);
    channels.backendStderr.subscribe(onLine);
    try {
      await using gw = await startGateway({ name: 'roots', backends: [stdioBackend('everything', EVERYTHING, ['stdio'])] });
      await using client = await connectClient(gw.url, { capabilities: { roots: { listChanged: true } } });
      client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///srv/project', name: 'project' }] }));
      const r = await client.request({ method: 'tools/call', params: { name: 'everything_get-roots-list', arguments: {} } });
      assert.match(text(r as never), /file:\/\/\/srv\/project/);
      const before = lines.length;
      await client.sendRootsListChanged();
      // server-everything reacts to roots/list_changed by asking for the roots again (outside any call).
      await waitFor(() => lines.slice(before).some((l) => /roots/i.test(l)), 'the backend heard roots/list_changed');
    } finally {
      channels.backendStderr.unsubscribe(onLine);
    }
  });

  it('advertises only what the backends offer (no completions, no resources.subscribe when none does)', async () => {
    const spec = JSON.stringify({ name: 'plain', tools: [{ name: 'x' }] });
    await using gw = await startGateway({
      name: 'caps',
      backends: [
        stdioBackend('plain', `${FIXTURES}/slow.mjs`),
        stdioBackend('named', `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: spec } }),
      ],
    });
    await using client = await connectClient(gw.url);
    const caps = client.getServerCapabilities()!;
    assert.ok(caps.tools);
    assert.equal(caps.completions, undefined);
    assert.equal(caps.resources, undefined);
    assert.equal(caps.prompts, undefined);
    await using gw2 = await startGateway({ name: 'caps2', backends: [conf], ...bare });
    await using c2 = await connectClient(gw2.url);
    const caps2 = c2.getServerCapabilities()!;
    assert.ok(caps2.completions && caps2.logging && caps2.prompts);
    assert.equal((caps2.resources as { subscribe?: boolean }).subscribe, true);
  });
});
