// The workflow engine against a scripted host and a manual clock: levels and parallelism,
// conditions, retries, continue, timeouts, cancellation, coercion, output and _meta.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from '../../../src/composite/engine.js';
import { toCallToolResult, WORKFLOW_META_KEY } from '../../../src/composite/result.js';
import { backoffDelay } from '../../../src/composite/tool-call.js';
import type { WorkflowMeta } from '../../../src/composite/result.js';
import { FakeHost, hang, later, settle, structured, text, tick, toolError, workflow } from './fake-host.js';

const meta = (result: { _meta?: Record<string, unknown> }): WorkflowMeta => result._meta?.[WORKFLOW_META_KEY] as WorkflowMeta;

describe('levels and parallelism', () => {
  it('runs a three-level DAG level by level, the middle level in parallel', async () => {
    const host = new FakeHost();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      host.tools.set(`gh.${name}`, async (args) => {
        log.push(`start ${name}`);
        const result = await later(structured({ from: name, got: args.v ?? null }));
        log.push(`end ${name}`);
        return result;
      });
    }
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'a', tool: 'gh.a' },
        { id: 'b', tool: 'gh.b', dependsOn: ['a'], arguments: { v: '{{.steps.a.output.from}}' } },
        { id: 'c', tool: 'gh.c', dependsOn: ['a'] },
        { id: 'd', tool: 'gh.d', dependsOn: ['a'] },
        { id: 'e', tool: 'gh.e', dependsOn: ['b', 'c', 'd'], arguments: { v: '{{.steps.b.output.got}}+{{.steps.d.output.from}}' } },
      ],
    });
    const run = await runWorkflow(wf, {}, host);
    assert.equal(run.status, 'completed');
    assert.equal(log.slice(0, 2).join(','), 'start a,end a');
    assert.deepEqual(log.slice(2, 5).sort(), ['start b', 'start c', 'start d'], 'the middle level starts together');
    assert.deepEqual(log.slice(-2), ['start e', 'end e']);
    assert.equal(host.maxInFlight, 3);
    assert.deepEqual(run.output, { from: 'e', got: 'a+d' });
    assert.deepEqual(
      run.steps.map((s) => [s.id, s.level, s.status]),
      [
        ['a', 0, 'completed'],
        ['b', 1, 'completed'],
        ['c', 1, 'completed'],
        ['d', 1, 'completed'],
        ['e', 2, 'completed'],
      ],
    );
    assert.deepEqual(
      host.progressUpdates.map((p) => `${p.progress}/${p.total}`),
      ['1/5', '2/5', '3/5', '4/5', '5/5'],
    );
  });

  it('runs at most 10 steps of a level at once', async () => {
    const host = new FakeHost();
    host.tools.set('gh.x', () => later(text('ok'), 5));
    const steps = Array.from({ length: 25 }, (_, i) => ({ id: `s${i}`, tool: 'gh.x' }));
    const run = await runWorkflow(workflow({ name: 'w', description: 'd', steps }), {}, host);
    assert.equal(run.status, 'completed');
    assert.equal(host.maxInFlight, 10);
  });
});

describe('conditions, failures and retries', () => {
  it('skips a step whose condition is false and serves its defaultResults', async () => {
    const host = new FakeHost();
    host.tools.set('gh.x', (args) => structured({ echoed: args }));
    const wf = workflow({
      name: 'w',
      description: 'd',
      parameters: { type: 'object', properties: { enrich: { type: 'boolean', default: false } } },
      steps: [
        { id: 'maybe', tool: 'gh.x', condition: '{{.params.enrich}}', defaultResults: { text: 'fallback' } },
        { id: 'use', tool: 'gh.x', dependsOn: ['maybe'], arguments: { t: '{{.steps.maybe.output.text}}', s: '{{.steps.maybe.status}}' } },
      ],
    });
    const run = await runWorkflow(wf, {}, host);
    assert.equal(run.status, 'completed');
    assert.deepEqual(
      host.calls.map((c) => c.stepId),
      ['use'],
    );
    assert.deepEqual(host.calls[0]!.args, { t: 'fallback', s: 'skipped' });
    assert.equal(run.steps[0]!.status, 'skipped');
    assert.equal(run.steps[0]!.skipReason, 'condition');
    assert.ok(host.eventTypes().includes('step.skipped:maybe'));
  });

  it('retries with backoff on the injected clock and succeeds on the 3rd attempt', async () => {
    const host = new FakeHost();
    let attempts = 0;
    host.tools.set('gh.flaky', () => (++attempts < 3 ? toolError(`boom ${attempts}`) : text('finally')));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 'flaky', tool: 'gh.flaky', onError: { action: 'retry', retryCount: 5, retryDelay: '1s' } }],
    });
    const run = await settle(host.clock, runWorkflow(wf, {}, host));
    assert.equal(run.status, 'completed');
    assert.equal(attempts, 3);
    assert.equal(run.steps[0]!.attempts, 3);
    const retried = host.events.filter((e) => e.type === 'step.retried');
    assert.deepEqual(
      retried.map((e) => [e.attempt, e.delayMs, e.error]),
      [
        [1, 1000, 'tool gh.flaky failed: boom 1'],
        [2, 1500, 'tool gh.flaky failed: boom 2'],
      ],
    );
    assert.equal(host.clock.now(), 2500, 'waited 1s then 1.5s of clock time');
    assert.deepEqual(run.output, { text: 'finally' });
  });

  it('grows the delay ×1.5 per retry and gives up after retryCount retries', async () => {
    const host = new FakeHost();
    host.tools.set('gh.down', () => toolError('down'));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 's', tool: 'gh.down', timeout: '1h', onError: { action: 'retry', retryCount: 10, retryDelay: '100ms' } }],
    });
    const run = await settle(host.clock, runWorkflow(wf, {}, host));
    assert.equal(run.status, 'failed');
    assert.equal(host.calls.length, 11);
    const delays = host.events.flatMap((e) => (e.type === 'step.retried' ? [e.delayMs] : []));
    assert.deepEqual(delays, [100, 150, 225, 338, 506, 759, 1139, 1709, 2563, 3844]);
    // ±50% jitter around that, and never above 60× retryDelay.
    assert.equal(
      backoffDelay(0, 1000, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(0, 1000, () => 0.999),
      1499,
    );
    assert.equal(
      backoffDelay(30, 1000, () => 0.5),
      60_000,
    );
    assert.match(run.error ?? '', /step "s" failed: tool gh.down failed: down/);
  });

  it('continues after a failed step with onError continue and exposes its status and error', async () => {
    const host = new FakeHost();
    host.tools.set('gh.bad', () => toolError('no such repo'));
    host.tools.set('gh.ok', (args) => structured(args));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'bad', tool: 'gh.bad', onError: { action: 'continue' }, defaultResults: { text: 'n/a' } },
        {
          id: 'after',
          tool: 'gh.ok',
          dependsOn: ['bad'],
          arguments: { status: '{{.steps.bad.status}}', error: '{{.steps.bad.error}}', text: '{{.steps.bad.output.text}}' },
        },
      ],
    });
    const run = await runWorkflow(wf, {}, host);
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.output, { status: 'failed', error: 'tool gh.bad failed: no such repo', text: 'n/a' });
    const failedEvent = host.events.find((e) => e.type === 'step.failed');
    assert.ok(failedEvent && failedEvent.type === 'step.failed' && failedEvent.continued);
  });

  it('aborts the workflow on a failure and cancels the rest of the level', async () => {
    const host = new FakeHost();
    const signals: AbortSignal[] = [];
    host.tools.set('gh.slow', (_args, signal) => {
      signals.push(signal);
      return hang(signal);
    });
    host.tools.set('gh.bad', async () => later(toolError('nope')));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'slow', tool: 'gh.slow' },
        { id: 'bad', tool: 'gh.bad' },
        { id: 'never', tool: 'gh.slow', dependsOn: ['slow', 'bad'] },
      ],
    });
    const result = toCallToolResult(await runWorkflow(wf, {}, host));
    assert.equal(result.isError, true);
    assert.match(String(result.content?.[0]?.text), /^Workflow execution failed: step "bad" failed: tool gh.bad failed: nope/);
    assert.equal(signals.length, 1);
    assert.equal(signals[0]!.aborted, true, "the other step's call was cancelled");
    assert.deepEqual(
      meta(result).steps.map((s) => [s.id, s.status]),
      [
        ['slow', 'cancelled'],
        ['bad', 'failed'],
        ['never', 'pending'],
      ],
    );
  });
});

describe('forEach', () => {
  it('runs 50 items at most 5 at a time and aggregates the output', async () => {
    const host = new FakeHost();
    host.tools.set('osv.query', async (args) => later(structured({ pkg: args.name, n: args.n }), 4));
    host.tools.set('oci.list', () => structured({ packages: Array.from({ length: 50 }, (_, i) => ({ name: `p${i}` })) }));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'list', tool: 'oci.list' },
        {
          id: 'scan',
          type: 'forEach',
          dependsOn: ['list'],
          collection: '{{json .steps.list.output.packages}}',
          itemVar: 'pkg',
          maxParallel: 5,
          step: { tool: 'osv.query', arguments: { name: '{{.forEach.pkg.name}}', n: '{{.forEach.index}}' } },
        },
      ],
    });
    host.schemas.set('osv.query', { type: 'object', properties: { n: { type: 'integer' } } });
    const run = await runWorkflow(wf, {}, host);
    assert.equal(run.status, 'completed');
    assert.equal(host.maxInFlight, 5);
    const out = run.output as {
      count: number;
      completed: number;
      failed: number;
      iterations: { index: number; status: string; output: unknown }[];
    };
    assert.equal(out.count, 50);
    assert.equal(out.completed, 50);
    assert.equal(out.failed, 0);
    assert.deepEqual(out.iterations[7], { index: 7, item: { name: 'p7' }, status: 'completed', output: { pkg: 'p7', n: 7 } });
    assert.equal(host.calls.filter((c) => c.tool === 'osv.query').length, 50);
    assert.equal(host.calls[8]!.stepId, 'scan[7]');
  });

  it('stops at the first failed iteration without onError continue; tries every item with it', async () => {
    for (const action of ['abort', 'continue'] as const) {
      const host = new FakeHost();
      host.tools.set('t.x', async (args) => (args.v === 3 ? toolError('bad item') : later(text(`ok ${String(args.v)}`), 6)));
      const wf = workflow({
        name: 'w',
        description: 'd',
        steps: [
          {
            id: 'loop',
            type: 'forEach',
            collection: '[1,2,3,4,5,6,7,8]',
            maxParallel: 2,
            onError: { action },
            step: { tool: 't.x', arguments: { v: '{{.forEach.item}}' } },
          },
        ],
      });
      host.schemas.set('t.x', { type: 'object', properties: { v: { type: 'integer' } } });
      const run = await runWorkflow(wf, {}, host);
      const out = run.steps[0]!.output as { completed: number; failed: number; iterations: { status: string }[] };
      if (action === 'continue') {
        assert.equal(run.status, 'completed');
        assert.equal(host.calls.length, 8);
        assert.deepEqual([out.completed, out.failed], [7, 1]);
      } else {
        assert.equal(run.status, 'failed');
        assert.match(run.error ?? '', /step "loop" failed: iteration 2 failed: tool t.x failed: bad item/);
        assert.ok(host.calls.length < 8, `stopped early (${host.calls.length} calls)`);
        assert.ok(out.iterations.some((i) => i.status === 'cancelled'));
      }
    }
  });

  it('refuses a collection longer than maxIterations or one that is not an array', async () => {
    const host = new FakeHost();
    const long = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 'l', type: 'forEach', collection: '[1,2,3]', maxIterations: 2, step: { tool: 't.x' } }],
    });
    assert.match((await runWorkflow(long, {}, host)).error ?? '', /the collection has 3 items; maxIterations is 2/);
    const bad = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 'l', type: 'forEach', collection: '{{.params.x}}', step: { tool: 't.x' } }],
    });
    assert.match((await runWorkflow(bad, { x: 'nope' }, host)).error ?? '', /collection must resolve to a JSON array, got: nope/);
  });
});

describe('timeouts and cancellation', () => {
  it('times a step out on the injected clock', async () => {
    const host = new FakeHost();
    host.tools.set('gh.hang', (_a, signal) => hang(signal));
    const wf = workflow({ name: 'w', description: 'd', steps: [{ id: 's', tool: 'gh.hang', timeout: '5s' }] });
    const run = await settle(host.clock, runWorkflow(wf, {}, host));
    assert.equal(run.status, 'failed');
    assert.equal(run.error, 'step "s" failed: step "s" timed out after 5s');
    assert.equal(host.clock.now(), 5000);
    assert.equal(host.calls[0]!.signal.aborted, true);
    assert.equal(host.clock.pending, 0, 'no timer left behind');
  });

  it('times the workflow out and reports timed_out', async () => {
    const host = new FakeHost();
    host.tools.set('gh.hang', (_a, signal) => hang(signal));
    const wf = workflow({ name: 'w', description: 'd', timeout: '10s', steps: [{ id: 's', tool: 'gh.hang' }] });
    const result = toCallToolResult(await settle(host.clock, runWorkflow(wf, {}, host)));
    assert.equal(result.isError, true);
    assert.equal(result.content?.[0]?.text, 'Workflow execution timeout exceeded: workflow timed out after 10s');
    assert.equal(meta(result).status, 'timed_out');
    assert.equal(host.clock.now(), 10_000);
  });

  it("cancels running steps and their callTool signals when the caller's signal aborts", async () => {
    const host = new FakeHost();
    host.tools.set('gh.hang', (_a, signal) => hang(signal));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'a', tool: 'gh.hang' },
        { id: 'b', tool: 'gh.hang' },
      ],
    });
    const controller = new AbortController();
    const running = runWorkflow(wf, {}, host, { signal: controller.signal });
    while (host.calls.length < 2) await tick();
    controller.abort();
    const run = await running;
    assert.equal(run.status, 'cancelled');
    assert.deepEqual(
      host.calls.map((c) => c.signal.aborted),
      [true, true],
    );
    assert.deepEqual(
      run.steps.map((s) => s.status),
      ['cancelled', 'cancelled'],
    );
    assert.equal(host.clock.pending, 0);
  });
});
