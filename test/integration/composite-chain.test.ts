// Composite steps run through the whole request chain, seen from outside: each step's backend
// call is its own span under the composite call's span at an OTLP receiver and is metered; a
// per-tool rate limit and an open circuit refuse a step exactly as they refuse the client's own
// call; a suspended 2026-07-28 run resumes only for its caller; and `vmcp workflow run` runs a
// composite on a running gateway by the workflow's name and prints each step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { runWorkflowCommand } from '../../src/cli/workflow.js';
import { connectClient, EVERYTHING, FIXTURES, startGateway, stdioBackend, text } from '../helpers/gateway.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const backends = [stdioBackend('everything', EVERYTHING, ['stdio'])];
const SUMS = {
  name: 'sums',
  description: 'two sums, the second after the first',
  parameters: { type: 'object', properties: { x: { type: 'integer', default: 3 } } },
  output: { properties: { sum: { type: 'string', description: 'the second sum', value: '{{.steps.second.output.text}}' } } },
  steps: [
    { id: 'first', tool: 'everything.get-sum', arguments: { a: 1, b: 2 } },
    // A template renders text; the step tool's input schema makes it a number again.
    { id: 'second', tool: 'everything.get-sum', dependsOn: ['first'], arguments: { a: '{{.params.x}}', b: 4 } },
    { id: 'echoed', tool: 'everything.echo', dependsOn: ['first'], arguments: { message: 'from a step' } },
  ],
};

const ALICE = 'alice-chain-key-3c5e7a9b';
const BOB = 'bob-chain-key-8d0f2b4c';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ASK = {
  name: 'ask',
  description: 'asks, then echoes the answer',
  steps: [
    { id: 'q', type: 'elicitation', message: 'Where to?', schema: { type: 'object', properties: { env: { type: 'string' } } } },
    { id: 'go', tool: 'everything.echo', dependsOn: ['q'], arguments: { message: 'to {{.steps.q.content.env}}' } },
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
      assert.match(
        String((r.structuredContent as { sum?: string } | undefined)?.sum),
        /\b7\b/,
        'the rendered "3" went to get-sum as the number 3',
      );
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
    assert.deepEqual(steps.map((s) => s.attributes['vmcp.workflow.step_id']).sort(), ['echoed', 'first', 'second'], 'each names its step');
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

  it("a step whose backend's circuit is open fails fast with the direct call's error, nothing sent", async () => {
    await using gw = await startGateway({
      name: 'composite-health',
      operational: { failureHandling: { circuitBreaker: { enabled: true, failureThreshold: 1, timeout: '60s' } } },
      backends: [stdioBackend('crash', `${FIXTURES}/crash-on-call.mjs`)],
      compositeTools: [{ name: 'ok_step', description: 'one step on the crash backend', steps: [{ id: 's', tool: 'crash.ok' }] }],
    });
    await using client = await connectClient(gw.url);
    const healthy = await client.callTool({ name: 'composite_ok_step', arguments: {} });
    assert.equal(healthy.isError, undefined, text(healthy as never));
    await assert.rejects(client.callTool({ name: 'crash_crash', arguments: {} }), /connection was lost/);
    const direct = await client.callTool({ name: 'crash_ok', arguments: {} }).then(
      () => assert.fail('the open circuit should refuse the direct call'),
      (e: Error) => e.message,
    );
    assert.match(direct, /Backend "crash" is unavailable: its circuit breaker is open/);
    const r = await client.callTool({ name: 'composite_ok_step', arguments: {} });
    assert.equal(r.isError, true);
    const reason = direct.replace(/^MCP error -?\d+: /, '');
    assert.ok(text(r as never).includes(`step "s" failed: ${reason}`), `${text(r as never)}\n  vs the direct call: ${direct}`);
  });

  it("a suspended 2026-07-28 run resumes only on its own caller's retry", async () => {
    await using gw = await startGateway({
      name: 'composite-bound',
      incomingAuth: {
        type: 'anonymous',
        apiKeys: [
          { name: 'alice', sha256: sha(ALICE) },
          { name: 'bob', sha256: sha(BOB) },
        ],
      },
      backends,
      compositeTools: [ASK],
    });
    const as = (key: string) =>
      connectClient(gw.url, { era: '2026-07-28', capabilities: { elicitation: { form: {} } }, headers: { 'x-api-key': key } });
    await using alice = await as(ALICE);
    await using bob = await as(BOB);
    const params = { name: 'composite_ask', arguments: {} };
    type Suspended = { resultType?: string; inputRequests?: Record<string, unknown>; requestState?: string };
    const first = (await alice.request({ method: 'tools/call', params }, { allowInputRequired: true })) as Suspended;
    assert.equal(first.resultType, 'input_required');
    const [key] = Object.keys(first.inputRequests ?? {});
    const retry = {
      ...params,
      inputResponses: { [key!]: { action: 'accept', content: { env: 'prod' } } },
      requestState: first.requestState,
    };
    await assert.rejects(
      bob.request({ method: 'tools/call', params: retry as never }, { allowInputRequired: true }),
      /Invalid or expired requestState/,
      "bob cannot answer alice's question",
    );
    const done = await alice.request({ method: 'tools/call', params: retry as never }, { allowInputRequired: true });
    assert.match(text(done as never), /to prod/);
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
    // Every step's backend call is metered like a direct one; the client's request counts once.
    const metrics = await (await fetch(new URL('/metrics', gw.url))).text();
    const series = (name: string, ...labels: string[]) =>
      metrics.split('\n').filter((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)));
    assert.deepEqual(
      series('toolhive_vmcp_backend_requests_total', 'target_workload_name="everything"', 'mcp_method_name="tools/call"')
        .map((l) => `${/gen_ai_tool_name="([^"]+)"/.exec(l)?.[1]} ${l.split(' ').pop()}`)
        .sort(),
      ['everything_echo 1', 'everything_get-sum 2'],
    );
    assert.deepEqual(
      series('toolhive_mcp_tool_calls_total', 'status="success"').map(
        (l) => `${/gen_ai_tool_name="([^"]+)"/.exec(l)?.[1]} ${l.split(' ').pop()}`,
      ),
      ['composite_sums 1'],
    );
    const missing = await runWorkflowCommand(['run', 'nope', '--url', gw.url], io);
    assert.equal(missing, 3);
    assert.match(stderr, /the gateway lists no tool "nope" \(nor one ending in it\)/);
    stdout = '';
    assert.equal(await runWorkflowCommand(['run', 'composite_sums', '--url', gw.url, '--json'], io), 0, 'the advertised name works too');
    assert.equal((JSON.parse(stdout) as { structuredContent?: unknown; isError?: boolean }).isError, undefined);
  });

  it('under the priority strategy a composite keeps its bare name, and `vmcp workflow run` finds it', async () => {
    await using gw = await startGateway({
      name: 'composite-bare',
      backends,
      aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['everything'] } },
      compositeTools: [SUMS],
    });
    await using client = await connectClient(gw.url);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('sums') && !names.includes('composite_sums'), names.join(', '));
    let stdout = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: {} };
    assert.equal(await runWorkflowCommand(['run', 'sums', '--url', gw.url], io), 0);
    assert.match(stdout, /^workflow sums: completed/);
  });
});
