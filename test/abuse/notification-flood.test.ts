// A backend sends 5,000 log messages or progress notifications during one call. The gateway
// relays at most operational.limits.notificationsPerSecond of them per call per second (default
// 100) and drops the rest; the call's result still arrives, and other sessions are unaffected.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';

const COUNT = 5_000;
const PER_SECOND = 100;

describe('notification flood during a call (operational.limits.notificationsPerSecond)', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli({ name: 'abuse-notifications', backends: [stdio('spam', 'notification-flood.mjs'), CANARY_BACKEND] });
  });
  after(() => gw?.stop());

  for (const kind of ['log', 'progress'] as const) {
    it(`relays at most ~${PER_SECOND}/s of ${COUNT} ${kind} notifications and still delivers the result`, async () => {
      const before = await healthySnapshot(gw, ['spam', 'canary']);
      await using canary = await startCanary(gw.url, CANARY_TOOL);
      await using client = await connectClient(gw.url);
      let received = 0;
      client.setNotificationHandler('notifications/message', () => void (received += 1));
      const started = Date.now();
      const result = await gw.guard(
        client.request(
          { method: 'tools/call', params: { name: 'spam_spam', arguments: { count: COUNT, kind } } },
          { timeout: 60_000, ...(kind === 'progress' ? { onprogress: () => void (received += 1) } : {}) },
        ),
      );
      const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
      assert.deepEqual(result.content, [{ type: 'text', text: `sent ${COUNT}` }], 'the call result arrives');
      assert.ok(received >= 1, `some ${kind} notifications are relayed (got ${received})`);
      assert.ok(
        received <= PER_SECOND * seconds,
        `expected at most ${PER_SECOND}/s × ${seconds} s = ${PER_SECOND * seconds} ${kind} notifications relayed, the client got ${received}`,
      );
      assertCanary(await canary.stop(), `a ${kind} notification flood`);
      await assertUntouched(gw, before, 'its own notifications');
    });
  }
});
