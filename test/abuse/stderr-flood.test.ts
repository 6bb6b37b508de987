// A backend writes 100,000 lines to stderr. The gateway must keep draining the pipe (the backend's
// call completes) but log at most operational.limits.stderrLinesPerSecond (default 100) of them per
// second, then one "suppressed N lines" line per backend per second, so its own log stays small.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { callTool, show } from './lib/outcome.js';

const LINES = 100_000;
const PER_SECOND = 100;

describe('stderr flood from a backend', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli({ name: 'abuse-stderr', backends: [stdio('flood', 'stderr-flood.mjs'), CANARY_BACKEND] });
  });
  after(() => gw?.stop());

  it(`logs at most ${PER_SECOND} lines/s of a ${LINES}-line flood, plus a "suppressed" summary`, async () => {
    const before = await healthySnapshot(gw, ['flood', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    await using client = await connectClient(gw.url);
    const linesBefore = gw.logs.countFor('flood');
    const started = Date.now();
    const flooded = await callTool(gw, client, 'flood_flood', { lines: LINES }, 60_000);
    assert.equal(flooded.text, `flooded ${LINES}`, `the flooding call completes (the pipe is drained): ${show(flooded)}`);
    // Let the last second's summary be written.
    await new Promise((r) => setTimeout(r, 2500));
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    const logged = gw.logs.countFor('flood') - linesBefore;
    const budget = seconds * (PER_SECOND + 1) + 10;
    assert.ok(
      logged <= budget,
      `expected at most ~${PER_SECOND}/s lines about backend flood over ${seconds} s (≤ ${budget}), the gateway logged ${logged} ` +
        `(${(gw.logs.bytes / 1024).toFixed(0)} KiB of log in all)`,
    );
    const summaries = gw.logs.matching(/suppressed \d+ lines/i).filter((l) => l.backend === 'flood');
    assert.ok(summaries.length >= 1, `expected a "suppressed N lines" line for backend flood; sample: ${gw.logs.tail(3)}`);
    assertCanary(await canary.stop(), 'a stderr flood');
    await assertUntouched(gw, before, 'writing to stderr');
  });
});
