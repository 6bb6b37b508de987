// A careless backend answers with an enormous result: an 11 MB line from a stdio process, a
// 150 MB body from an HTTP server (as JSON and as one SSE event). With maxResultBytes at 10 MiB the
// gateway must fail that one call with VMCP_RESULT_TOO_LARGE while it streams (not after buffering
// it all), answer an innocent call running next to it on the same backend, keep the stdio process
// (same pid, still healthy), and keep its own memory bounded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, descendants, FIXTURES, spawnFixture, type Fixture } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { healthySnapshot } from './lib/health.js';
import { MiB, RssSampler } from './lib/proc.js';
import { callTool, show } from './lib/outcome.js';

const LIMIT = 10 * MiB;
/** Far below the 150 MB an unbounded gateway would hold (plus its JSON parse). */
const MAX_GROWTH = 300 * MiB;

describe('oversized backend results (maxResultBytes)', () => {
  let http: Fixture;
  let gw: CliGateway;
  before(async () => {
    http = await spawnFixture(`${FIXTURES}/hostile-http.mjs`);
    gw = await startCli(
      {
        name: 'abuse-results',
        operational: { limits: { maxResultBytes: LIMIT }, timeouts: { default: '30s' } },
        backends: [
          stdio('bigio', 'big-result.mjs', ['--name', 'bigio']),
          // backends[].limits overrides operational.limits for that backend only.
          stdio('roomy', 'big-result.mjs', [], { limits: { maxResultBytes: 2 * LIMIT } }),
          { name: 'bighttp', transport: 'streamable-http', url: http.url },
          CANARY_BACKEND,
        ],
      },
      { nodeArgs: ['--max-old-space-size=256'] },
    );
  });
  after(async () => {
    await gw?.stop();
    await http?.close();
  });

  it('fails an 11 MB stdio result with VMCP_RESULT_TOO_LARGE, answers the innocent call next to it, keeps the process', async () => {
    await healthySnapshot(gw, ['bigio', 'canary']);
    const pid = descendants('big-result.mjs --name bigio', gw.pid);
    assert.equal(pid.length, 1, 'one bigio process under the gateway');
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const rss = new RssSampler(gw.pid);
    await using client = await connectClient(gw.url);
    const [big, innocent] = await Promise.all([
      callTool(gw, client, 'bigio_big', { bytes: 11 * 1000 * 1000 }),
      callTool(gw, client, 'bigio_small', { ms: 300 }),
    ]);
    rss.stop();
    const report = await canary.stop();
    assert.ok(gw.alive(), `the gateway died: ${gw.logs.tail(5)}`);
    assert.equal(big.dataCode, 'VMCP_RESULT_TOO_LARGE', `the 11 MB call: expected error -32603 VMCP_RESULT_TOO_LARGE, saw ${show(big)}`);
    assert.equal(big.code, -32603, show(big));
    assert.match(big.message ?? '', /bigio/, `the message names the backend: ${big.message}`);
    assert.match(big.message ?? '', /maxResultBytes/, `the message names the limit: ${big.message}`);
    assert.equal(innocent.text, 'small ok', `the innocent concurrent call on the same backend: ${show(innocent)}`);
    const after = await callTool(gw, client, 'bigio_small', {});
    assert.equal(after.text, 'small ok', `a later call on the same process: ${show(after)}`);
    assert.deepEqual(descendants('big-result.mjs --name bigio', gw.pid), pid, 'the stdio process was not restarted (same pid)');
    const status = await gw.backend('bigio');
    assert.equal(status.health, 'healthy', `bigio in /status: ${JSON.stringify(status)}`);
    assert.ok(rss.growth < MAX_GROWTH, `gateway memory must stay bounded: ${rss.describe()}`);
    assertCanary(report, 'an 11 MB stdio result');
  });

  it('lets backends[].limits.maxResultBytes override the default for one backend', async () => {
    await healthySnapshot(gw, ['roomy']);
    await using client = await connectClient(gw.url);
    const big = await callTool(gw, client, 'roomy_big', { bytes: 11 * 1000 * 1000 });
    assert.ok(big.ok, `an 11 MB result under roomy's own 20 MiB limit: ${show(big)}`);
    assert.equal(big.text?.length, 11 * 1000 * 1000, 'the whole result arrives');
  });

  for (const mode of ['json', 'sse'] as const) {
    it(`fails a 150 MB HTTP result (${mode}) with VMCP_RESULT_TOO_LARGE while streaming; the innocent call succeeds`, async () => {
      await healthySnapshot(gw, ['bighttp', 'canary']);
      await using canary = await startCanary(gw.url, CANARY_TOOL);
      const rss = new RssSampler(gw.pid);
      await using client = await connectClient(gw.url);
      const [big, innocent] = await Promise.all([
        callTool(gw, client, 'bighttp_huge', { mb: 150, mode }),
        callTool(gw, client, 'bighttp_small', { ms: 300 }),
      ]);
      rss.stop();
      const report = await canary.stop();
      assert.ok(gw.alive(), `the gateway died (heap capped at 256 MB): ${gw.logs.tail(5)}`);
      assert.equal(big.dataCode, 'VMCP_RESULT_TOO_LARGE', `the 150 MB call: expected error VMCP_RESULT_TOO_LARGE, saw ${show(big)}`);
      assert.match(big.message ?? '', /bighttp.*maxResultBytes|maxResultBytes.*bighttp/, `names backend and limit: ${big.message}`);
      assert.equal(innocent.text, 'small ok', `the innocent concurrent call on the same backend: ${show(innocent)}`);
      assert.ok(rss.growth < MAX_GROWTH, `gateway memory must stay bounded while a 150 MB result streams in: ${rss.describe()}`);
      assert.equal((await gw.backend('bighttp')).health, 'healthy');
      assertCanary(report, `a 150 MB HTTP result (${mode})`);
    });
  }
});
