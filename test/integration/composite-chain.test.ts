// Composite steps run through the whole request chain, seen from outside: each step's backend
// call is its own span under the composite call's span at an OTLP receiver; a per-tool rate limit
// refuses a step past its bucket exactly as it refuses the client's own call; and `vmcp workflow
// run` runs a composite on a running gateway by the workflow's name and prints each step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { runWorkflowCommand } from '../../src/cli/workflow.js';
import { connectClient, EVERYTHING, startGateway, stdioBackend, text } from '../helpers/gateway.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const backends = [stdioBackend('everything', EVERYTHING, ['stdio'])];
const SUMS = {
  name: 'sums',
  description: 'two sums, the second after the first',
  steps: [
    { id: 'first', tool: 'everything.get-sum', arguments: { a: 1, b: 2 } },
    { id: 'second', tool: 'everything.get-sum', dependsOn: ['first'], arguments: { a: 3, b: 4 } },
    { id: 'echoed', tool: 'everything.echo', dependsOn: ['first'], arguments: { message: 'from a step' } },
  ],
};

describe('composite steps through the chain', () => {
  it('exports one span per step, each a child of the composite call', { timeout: 30_000 }, async () => {
    await using otlp = await startOtlpReceiver();
    const gw = await startGateway({
      name: 'composite-traces',
      backends,
      compositeTools: [SUMS],
      telemetry: { tracingEnabled: true, endpoint: otlp.url, samplingRate: '0', serviceName: 'vmcp-composite' },
    });
    const trace = { traceId: hex(16), spanId: hex(8) };
    try {
      await using client = await connectClient(gw.url, { headers: { traceparent: `00-${trace.traceId}-${trace.spanId}-01` } });
      const r = await client.callTool({ name: 'composite_sums', arguments: {} });
      assert.equal(r.isError, undefined, text(r as never));
    } finally {
      await gw.close(); // flushes the span queue
    }
    const spans = otlp.spans.filter((s) => s.traceId === trace.traceId);
    const root = spans.find((s) => s.kind === SERVER && s.name === 'tools/call composite_sums');
    assert.ok(root, `the composite call's span in ${JSON.stringify(spans.map((s) => s.name))}`);
    assert.equal(root.parentSpanId, trace.spanId);
    const steps = spans.filter((s) => s.kind === CLIENT && s.parentSpanId === root.spanId);
    assert.deepEqual(
      steps.map((s) => s.attributes['gen_ai.tool.name']).sort(),
      ['echo', 'get-sum', 'get-sum'],
      'a backend-call span per step, under the composite call',
    );
    assert.ok(steps.every((s) => s.attributes['target.workload_name'] === 'everything'));
    assert.equal(new Set(steps.map((s) => s.spanId)).size, 3);
  });

  it("refuses a step past a tool's rate limit as it refuses the client's own call", async () => {
    await using gw = await startGateway({
      name: 'composite-rate',
      backends,
      compositeTools: [
        {
          name: 'echo_twice',
          description: 'two echoes: the bucket holds one',
          steps: [
            { id: 'one', tool: 'everything.echo', arguments: { message: 'one' } },
            { id: 'two', tool: 'everything.echo', dependsOn: ['one'], arguments: { message: 'two' } },
          ],
        },
      ],
      rateLimiting: { tools: [{ name: 'everything_echo', shared: { maxTokens: 1, refillPeriod: '1h' } }] },
    });
    await using client = await connectClient(gw.url);
    const r = await client.callTool({ name: 'composite_echo_twice', arguments: {} });
    assert.equal(r.isError, true);
    assert.match(text(r as never), /step "two" failed: .*Rate limit exceeded/);
    const meta = (r._meta as Record<string, { steps: { id: string; status: string }[] }>)['vmcp/workflow']!;
    assert.deepEqual(
      meta.steps.map((s) => `${s.id}:${s.status}`),
      ['one:completed', 'two:failed'],
    );
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'direct' } } }),
      /Rate limit exceeded/,
      "the steps drew from the client's bucket",
    );
  });

  it('`vmcp workflow run NAME` runs the composite on a gateway by its workflow name', async () => {
    await using gw = await startGateway({ name: 'composite-cli', backends, compositeTools: [SUMS] });
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} };
    const code = await runWorkflowCommand(['run', 'sums', '--url', gw.url], io);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /^workflow sums: completed in \S+ \(run [0-9a-f-]{36}\)\n/);
    const rows = stdout.split('\n').filter((l) => /^\d\s/.test(l));
    assert.deepEqual(
      rows.map((l) => l.split(/\s{2,}/).slice(0, 4)),
      [
        ['1', 'first', 'tool', 'completed'],
        ['2', 'second', 'tool', 'completed'],
        ['2', 'echoed', 'tool', 'completed'],
      ],
    );
    const missing = await runWorkflowCommand(['run', 'nope', '--url', gw.url], io);
    assert.equal(missing, 3);
    assert.match(stderr, /the gateway lists no tool "nope" \(nor one ending in it\)/);
    stdout = '';
    assert.equal(await runWorkflowCommand(['run', 'composite_sums', '--url', gw.url, '--json'], io), 0, 'the advertised name works too');
    assert.equal((JSON.parse(stdout) as { structuredContent?: unknown; isError?: boolean }).isError, undefined);
  });
});
