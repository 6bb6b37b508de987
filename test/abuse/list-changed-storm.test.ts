// A backend announces notifications/tools/list_changed 20,000 times in a burst. The gateway must
// coalesce: at most one rediscovery in flight and one pending per burst, so the backend sees a
// handful of tools/list requests, not thousands; and the catalog still serves its tools.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { healthySnapshot } from './lib/health.js';
import { callTool, show } from './lib/outcome.js';

const BURST = 20_000;
/** One rediscovery in flight when the burst starts, one pending for the rest of it, one to spare. */
const MAX_LISTS = 3;

describe('tools/list_changed storm from a backend', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli({
      name: 'abuse-list-changed',
      // Probes also send tools/list; keep them out of the window this test counts.
      backends: [stdio('burst', 'list-changed-burst.mjs', [], { health: { interval: '10m' } }), CANARY_BACKEND],
    });
  });
  after(() => gw?.stop());

  it(`answers a ${BURST}-notification burst with at most ${MAX_LISTS} tools/list requests`, async () => {
    await healthySnapshot(gw, ['burst', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    await using client = await connectClient(gw.url);
    const count = async () => {
      const o = await callTool(gw, client, 'burst_list_count');
      assert.ok(o.ok, `burst_list_count: ${show(o)}`);
      return Number(o.text);
    };
    const before = await count();
    const sent = await callTool(gw, client, 'burst_burst', { count: BURST }, 60_000);
    assert.equal(sent.text, `sent ${BURST}`, show(sent));
    // Wait until the backend has seen no new tools/list for a second (bounded).
    let last = -1;
    let now = await count();
    for (const until = Date.now() + 20_000; now !== last && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, now] = [now, await count()];
    }
    const lists = now - before;
    assert.ok(lists >= 1, `the gateway must rediscover after a list_changed (saw ${lists} tools/list)`);
    assert.ok(
      lists <= MAX_LISTS,
      `expected at most ${MAX_LISTS} tools/list requests after ${BURST} list_changed, the backend counted ${lists}`,
    );
    assert.ok(gw.alive(), 'the gateway is up');
    const { tools } = await client.listTools();
    assert.ok(
      tools.some((t) => t.name === 'burst_burst'),
      'the catalog still has the backend tools',
    );
    assertCanary(await canary.stop(), 'a list_changed storm');
    assert.equal((await gw.backend('burst')).health, 'healthy');
  });
});
