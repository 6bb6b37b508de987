// Composite tools through the front door, against real backends (server-everything,
// server-memory, and workflow-backend.mjs, which records concurrency and cancellation): the DAG's
// levels, conditions, retries, continue, forEach concurrency, timeouts, cancellation, hidden step
// tools, progress, and the catalog entry (naming, filters, annotations, outputSchema).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { channels, type WorkflowEvent } from '../../src/observability/channels.js';
import {
  connectClient,
  EVERYTHING,
  FILESYSTEM,
  FIXTURES,
  MEMORY,
  startGateway,
  stdioBackend,
  text,
  waitFor,
  type TestGateway,
} from '../helpers/gateway.js';

const WF = `${FIXTURES}/workflow-backend.mjs`;
const FILES = mkdtempSync(join(tmpdir(), 'vmcp-composite-fs-'));
const obj = (properties: Record<string, unknown> = {}) => ({ type: 'object', properties });
const out = (type: string, value: string) => ({ type, description: value, value });
const work = (id: string, ms: number, extra: Record<string, unknown> = {}) => ({ id, tool: 'wf.work', arguments: { id, ms }, ...extra });

const COMPOSITES = [
  {
    name: 'dag',
    description: 'three levels, the second in parallel',
    parameters: obj({ who: { type: 'string', default: 'Ada' } }),
    steps: [
      { id: 'greet', tool: 'everything.echo', arguments: { message: 'hello {{.params.who}}' } },
      {
        id: 'remember',
        tool: 'memory.create_entities',
        dependsOn: ['greet'],
        arguments: { entities: '[{"name":"{{.params.who}}","entityType":"person","observations":[{{json .steps.greet.output.text}}]}]' },
      },
      { id: 'sum', tool: 'get-sum', dependsOn: ['greet'], arguments: { a: 2, b: 3 } },
      work('w1', 300, { dependsOn: ['greet'] }),
      work('w2', 300, { dependsOn: ['greet'] }),
      { id: 'lookup', tool: 'memory.search_nodes', dependsOn: ['remember', 'sum', 'w1', 'w2'], arguments: { query: '{{.params.who}}' } },
    ],
    output: {
      properties: {
        greeting: out('string', '{{.steps.greet.output.text}}'),
        sum: out('string', '{{.steps.sum.output.text}}'),
        found: out('object', '{{json .steps.lookup.output}}'),
        peak: out('integer', '{{.steps.w2.output.peak}}'),
      },
      required: ['greeting', 'found'],
    },
  },
  {
    name: 'branches',
    description: 'condition skip with defaultResults, retry, continue',
    parameters: obj({ go: { type: 'boolean', default: false }, key: { type: 'string' } }),
    steps: [
      {
        id: 'maybe',
        tool: 'everything.echo',
        condition: '{{.params.go}}',
        arguments: { message: 'ran' },
        defaultResults: { text: 'skipped' },
      },
      {
        id: 'retried',
        tool: 'wf.flaky',
        arguments: { key: '{{.params.key}}', failures: 2 },
        onError: { action: 'retry', retryCount: 3, retryDelay: '10ms' },
      },
      {
        id: 'broken',
        tool: 'wf.flaky',
        arguments: { key: '{{.params.key}}-never', failures: 99 },
        onError: { action: 'continue' },
        defaultResults: { attempt: -1 },
      },
      { id: 'after', tool: 'wf.secret', dependsOn: ['maybe', 'retried', 'broken'] },
    ],
    output: {
      properties: {
        maybe: out('string', '{{.steps.maybe.output.text}}'),
        attempt: out('integer', '{{.steps.retried.output.attempt}}'),
        broken: out('string', '{{.steps.broken.status}}'),
        brokenOut: out('integer', '{{.steps.broken.output.attempt}}'),
        secret: out('string', '{{.steps.after.output.secret}}'),
      },
    },
  },
  {
    name: 'fan_out',
    description: 'forEach over a collection, 5 at a time',
    parameters: obj({ n: { type: 'integer' } }),
    steps: [
      { id: 'reset', tool: 'wf.reset' },
      {
        id: 'each',
        type: 'forEach',
        dependsOn: ['reset'],
        collection: '{{.params.items}}',
        itemVar: 'job',
        maxParallel: 5,
        step: { tool: 'wf.work', arguments: { id: '{{.forEach.job}}', ms: 40 } },
      },
      { id: 'stats', tool: 'wf.stats', dependsOn: ['each'] },
    ],
    output: {
      properties: {
        count: out('integer', '{{.steps.each.output.count}}'),
        completed: out('integer', '{{.steps.each.output.completed}}'),
        peak: out('integer', '{{.steps.stats.output.peak}}'),
      },
    },
  },
  { name: 'too_slow', description: 'a step timeout', steps: [work('long', 5000, { timeout: '200ms' })] },
  { name: 'long_run', description: 'cancelled by the client', steps: [work('a', 20_000), work('b', 20_000)] },
  {
    name: 'file_roundtrip',
    description: 'write a file, then read it back',
    parameters: obj({ text: { type: 'string' } }),
    steps: [
      { id: 'write', tool: 'fs.write_file', arguments: { path: `${FILES}/note.txt`, content: '{{.params.text}}' } },
      { id: 'read', tool: 'fs.read_text_file', dependsOn: ['write'], arguments: { path: `${FILES}/note.txt` } },
    ],
    output: { properties: { content: out('string', '{{.steps.read.output.content}}') } },
  },
  { name: 'unlisted', description: 'left out by the aggregation filter', steps: [work('x', 0)] },
];

const config = {
  name: 'composite-it',
  backends: [
    stdioBackend('everything', EVERYTHING, ['stdio']),
    stdioBackend('memory', MEMORY, [], { env: { MEMORY_FILE_PATH: `/tmp/vmcp-composite-memory-${process.pid}.jsonl` } }),
    stdioBackend('wf', WF),
    stdioBackend('fs', FILESYSTEM, [FILES]),
  ],
  aggregation: {
    tools: [
      { workload: 'wf', filter: ['flaky', 'work', 'stats', 'reset'] },
      { workload: 'composite', filter: COMPOSITES.map((c) => c.name).filter((n) => n !== 'unlisted') },
    ],
  },
  compositeTools: COMPOSITES,
};

type Result = { structuredContent?: Record<string, unknown>; isError?: boolean; _meta?: Record<string, unknown> };
const meta = (r: Result) =>
  r._meta?.['vmcp/workflow'] as { status: string; steps: { id: string; level: number; status: string; attempts: number }[] };
const stepOf = (r: Result, id: string) => meta(r).steps.find((s) => s.id === id)!;

describe('composite tools with real backends', () => {
  let gw: TestGateway;
  let client: Client & AsyncDisposable;
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name: `composite_${name}`, arguments: args })) as Result;
  before(async () => {
    gw = await startGateway(config);
    client = await connectClient(gw.url);
  });
  after(async () => {
    await client?.close();
    await gw?.[Symbol.asyncDispose]();
    rmSync(FILES, { recursive: true, force: true });
  });

  it('is a catalog entry: prefixed, filterable, with outputSchema and derived annotations; hidden tools stay hidden', async () => {
    const { tools } = await client.listTools();
    const dag = tools.find((t) => t.name === 'composite_dag');
    assert.ok(dag, 'listed under the provider prefix');
    assert.deepEqual(Object.keys(dag.outputSchema?.properties ?? {}), ['greeting', 'sum', 'found', 'peak']);
    // create_entities is not read-only, so neither is the workflow; no step is open-world.
    assert.equal(dag.annotations?.readOnlyHint, false);
    assert.equal(dag.annotations?.openWorldHint, false);
    assert.equal(tools.find((t) => t.name === 'composite_fan_out')?.annotations?.readOnlyHint, false, 'reset has no annotations');
    assert.ok(!tools.some((t) => t.name === 'wf_secret'));
    assert.ok(!tools.some((t) => t.name === 'composite_unlisted'), 'composites are filtered like backend tools');
    await assert.rejects(client.callTool({ name: 'wf_secret', arguments: {} }), /Unknown tool/);
    const status = (await (await fetch(new URL('/status', gw.url))).json()) as { virtualTools?: Record<string, number> };
    const listed = tools.filter((t) => t.name.startsWith('composite_')).length;
    assert.equal(status.virtualTools?.['composite'], listed, '/status counts the composite tools the catalog lists');
  });

  it('runs a three-level DAG whose second level runs in parallel', async () => {
    const r = await call('dag', { who: 'Grace' });
    assert.equal(r.isError, undefined, text(r as never));
    assert.equal(r.structuredContent?.['greeting'], 'Echo: hello Grace');
    assert.match(String(r.structuredContent?.['sum']), /5/);
    assert.match(JSON.stringify(r.structuredContent?.['found']), /Echo: hello Grace/);
    assert.deepEqual(
      meta(r).steps.map((s) => `${s.id}:${s.level}`),
      ['greet:1', 'remember:2', 'sum:2', 'w1:2', 'w2:2', 'lookup:3'],
    );
    assert.equal(r.structuredContent?.['peak'], 2, 'both work steps were in flight at the backend at once');
  });

  it('skips on a false condition (defaultResults), retries to the third attempt, continues after a failure, calls a hidden tool', async () => {
    const events: WorkflowEvent[] = [];
    const listen = (e: unknown) => void events.push(e as WorkflowEvent);
    channels.workflow.subscribe(listen);
    const r = await call('branches', { key: 'k1' }).finally(() => channels.workflow.unsubscribe(listen));
    assert.equal(r.isError, undefined, text(r as never));
    const seen = events.map((e) => `${e.event}${e.step ? `:${e.step}` : ''}`);
    for (const e of ['started', 'step_skipped:maybe', 'step_retried:retried', 'step_failed:broken', 'step_completed:after', 'completed'])
      assert.ok(seen.includes(e), `${e} in ${seen.join()}`);
    assert.ok(
      events.every((e) => e.workflow === 'branches' && !JSON.stringify(e).includes('k1')),
      'names, never arguments',
    );
    assert.deepEqual(r.structuredContent, {
      maybe: 'skipped',
      attempt: 3,
      broken: 'failed',
      brokenOut: -1,
      secret: 'hidden tool answered',
    });
    assert.equal(stepOf(r, 'maybe').status, 'skipped');
    assert.equal(stepOf(r, 'retried').attempts, 3);
    const ran = await call('branches', { key: 'k2', go: true });
    assert.equal(ran.structuredContent?.['maybe'], 'Echo: ran');
  });

  it('writes and reads a file through server-filesystem; a destructive step makes the workflow destructive', async () => {
    const r = await call('file_roundtrip', { text: 'written by a workflow' });
    assert.equal(r.isError, undefined, text(r as never));
    assert.equal(r.structuredContent?.['content'], 'written by a workflow');
    const { tools } = await client.listTools();
    assert.equal(tools.find((t) => t.name === 'composite_file_roundtrip')?.annotations?.destructiveHint, true);
  });

  it('runs forEach over 50 items with at most 5 calls in flight at the backend', async () => {
    const items = Array.from({ length: 50 }, (_, i) => `job-${i}`);
    const r = await call('fan_out', { items });
    assert.equal(r.isError, undefined, text(r as never));
    assert.deepEqual(r.structuredContent, { count: 50, completed: 50, peak: 5 });
  });

  it('reports progress per step to a client that asked for it', async () => {
    const seen: number[] = [];
    await client.callTool(
      { name: 'composite_fan_out', arguments: { items: ['a', 'b'] } },
      {
        onprogress: (p) => void seen.push(p.progress),
      },
    );
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('fails a step that outlives its timeout, and cancels it at the backend', async () => {
    const before = await stats();
    const r = await call('too_slow');
    assert.equal(r.isError, true);
    assert.match(text(r as never), /timed out after 200ms/);
    await waitFor(async () => (await stats()).cancelled === before.cancelled + 1, 'the backend to see the cancellation');
  });

  it('cancels running steps at their backends when the client cancels the call', async () => {
    const before = await stats();
    const controller = new AbortController();
    const running = client.callTool({ name: 'composite_long_run', arguments: {} }, { signal: controller.signal });
    await waitFor(async () => (await stats()).inFlight === 2, 'both steps to reach the backend');
    controller.abort();
    await assert.rejects(running);
    await waitFor(async () => (await stats()).cancelled === before.cancelled + 2, 'both backend calls to be cancelled');
  });

  const stats = async () =>
    ((await client.callTool({ name: 'wf_stats', arguments: {} })) as Result).structuredContent as { inFlight: number; cancelled: number };
});
