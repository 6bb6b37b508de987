// A seeded fuzzer: valid-ish and hostile JSON-RPC over both eras (real requests, mutated: types,
// missing fields, huge strings, deep nesting, unicode, wrong ids, batches, broken JSON, wrong
// headers, methods and paths). Whatever arrives, the gateway answers without a 5xx, never crashes
// or hangs, and blames no backend for it (each still healthy in /status, failure counts as before).
// Reproduce a failure with the printed VMCP_FUZZ_SEED and VMCP_FUZZ_MESSAGES.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYTHING } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, fuzzMessages, stdio } from './lib/config.js';
import { fuzzCases } from './lib/fuzz-cases.js';
import { fuzzSeed, Rng } from './lib/fuzz-rng.js';
import { describeFindings, runFuzz } from './lib/fuzz-run.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { openSession } from './lib/raw.js';

const MAX_BODY = 1024 * 1024;
const BACKENDS = ['fz', 'ev', 'canary'];

describe('seeded fuzzer', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli(
      {
        name: 'abuse-fuzz',
        server: { maxRequestBodyBytes: MAX_BODY },
        backends: [
          stdio('fz', 'echo.mjs'),
          { name: 'ev', transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] },
          CANARY_BACKEND,
        ],
      },
      { logLevel: 'warn' },
    );
  });
  after(() => gw?.stop());

  it(`answers ${fuzzMessages()} fuzzed messages without a 5xx, a crash or a blamed backend`, async () => {
    const seed = fuzzSeed();
    const count = fuzzMessages();
    const repro = `reproduce: VMCP_FUZZ_SEED=${seed} VMCP_FUZZ_MESSAGES=${count} node --import tsx --test test/abuse/fuzz.test.ts`;
    const before = await healthySnapshot(gw, BACKENDS);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const sessions = [await openSession(gw.url), await openSession(gw.url), await openSession(gw.url)];
    const cases = fuzzCases(new Rng(seed), count, { sessions, maxBodyBytes: MAX_BODY });
    const report = await runFuzz(gw.base, cases, { concurrency: 8, maxBodyBytes: MAX_BODY, alive: () => gw.alive() });
    const summary = `seed ${seed}: sent ${report.sent}/${count}, statuses ${JSON.stringify(report.statuses)}; ${repro}`;
    assert.ok(gw.alive(), `the gateway crashed during the fuzz run (${summary}):\n${gw.logs.tail(10)}`);
    assert.equal(
      report.findings.length,
      0,
      `expected no HTTP 5xx, hang or dropped connection; ${report.findings.length} found (${summary}):\n${describeFindings(report.findings)}`,
    );
    assert.equal((await fetch(`${gw.base}/health`)).status, 200, `/health after the run (${summary})`);
    assertCanary(await canary.stop(), `the fuzz run (${summary})`);
    await assertUntouched(gw, before, `fuzzed client requests (${summary})`);
  });
});
