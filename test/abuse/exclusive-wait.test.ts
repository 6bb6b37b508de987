// One session's stuck or chatty call must not hold up other sessions on the same shared backend
// for longer than operational.limits.exclusiveWait. The gateway runs a tool's first call (and every
// call of a tool that talks back) exclusively per session, so a backend's log lines and requests
// reach the right client; without a bound, session A's hung first call of one tool would stall
// session B's first calls of every other tool until A's call times out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { healthySnapshot } from './lib/health.js';
import { callTool, show, type Outcome } from './lib/outcome.js';

const EXCLUSIVE_WAIT_MS = 2000;
const REQUEST_TIMEOUT_S = 40;
/** exclusiveWait plus generous slack, and far below the hung call's timeout. */
const BOUND_MS = EXCLUSIVE_WAIT_MS + 4000;

describe('exclusive calls on a shared backend (operational.limits.exclusiveWait)', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli({
      name: 'abuse-exclusive',
      operational: { limits: { exclusiveWait: `${EXCLUSIVE_WAIT_MS / 1000}s` }, timeouts: { default: `${REQUEST_TIMEOUT_S}s` } },
      // Two processes of the same fixture, so each test starts with tools the gateway has never seen.
      backends: [stdio('mixed', 'mixed-latency.mjs'), stdio('mixed2', 'mixed-latency.mjs'), CANARY_BACKEND],
    });
  });
  after(() => gw?.stop());

  const assertPrompt = (o: Outcome, expected: string, blocker: string) => {
    assert.equal(o.text, expected, `session B's call while ${blocker}: ${show(o)}`);
    assert.ok(
      o.ms < BOUND_MS,
      `session B's call waited ${o.ms} ms behind ${blocker}; expected at most exclusiveWait (${EXCLUSIVE_WAIT_MS} ms) + slack (< ${BOUND_MS} ms)`,
    );
  };

  it("answers session B's first calls of other tools while session A's first call of a tool hangs", async () => {
    await healthySnapshot(gw, ['mixed', 'mixed2', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    await using a = await connectClient(gw.url, { name: 'a' });
    await using b = await connectClient(gw.url, { name: 'b' });
    const abort = new AbortController();
    let hungSettled = false;
    const hung = a
      .request({ method: 'tools/call', params: { name: 'mixed_hang', arguments: {} } }, { signal: abort.signal, timeout: 60_000 })
      .catch(() => undefined)
      .finally(() => (hungSettled = true));
    await new Promise((r) => setTimeout(r, 300));
    const [qa, qb] = await Promise.all([
      callTool(gw, b, 'mixed_quick_a', {}, BOUND_MS + 10_000),
      callTool(gw, b, 'mixed_quick_b', {}, BOUND_MS + 10_000),
    ]);
    assert.equal(hungSettled, false, "session A's hung call is still running (the test measures the wait behind it)");
    assertPrompt(qa, 'quick_a ok', "session A's first call of mixed_hang hangs");
    assertPrompt(qb, 'quick_b ok', "session A's first call of mixed_hang hangs");
    abort.abort();
    await hung;
    assertCanary(await canary.stop(), 'a hung call on another backend');
  });

  it('does not make session B wait longer than exclusiveWait behind a tool that logs', async () => {
    await using a = await connectClient(gw.url, { name: 'a' });
    await using b = await connectClient(gw.url, { name: 'b' });
    const chatty = callTool(gw, a, 'mixed2_chatty', { ms: 9000 });
    await new Promise((r) => setTimeout(r, 300));
    const qc = await callTool(gw, b, 'mixed2_quick_c', {}, BOUND_MS + 10_000);
    assertPrompt(qc, 'quick_c ok', "session A's mixed2_chatty call logs for 9 s");
    const done = await chatty;
    assert.equal(done.text, 'chatty done', `session A's chatty call itself completes: ${show(done)}`);
  });
});
