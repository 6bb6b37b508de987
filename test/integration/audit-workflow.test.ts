// Composite workflows in the audit log, through the front door: two gateways in one process, each
// with its own audit file and an API-key caller. A run with a skipped, a failed-and-continued and a
// completed step, a run whose step aborts it, a run past its timeout and one the client cancelled
// each leave ToolHive's vmcp_workflow_* events with the workflow's name and id, the step ids,
// status, duration, error and the caller's subject; the other gateway's file gets none of them,
// and its eventTypes / excludeEventTypes decide which of its own workflow events it writes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, EVERYTHING, FIXTURES, startGateway, stdioBackend, waitFor, type TestGateway } from '../helpers/gateway.js';
import { auditEvents } from '../helpers/audit-log.js';

const KEY = 'carol-key-5e7a1c9b3d';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const COMPOSITES = [
  {
    name: 'mixed',
    description: 'a skipped, a failed-and-continued and a completed step',
    parameters: { type: 'object', properties: { go: { type: 'boolean', default: false } } },
    steps: [
      { id: 'maybe', tool: 'everything.echo', condition: '{{.params.go}}', arguments: { message: 'ran' } },
      { id: 'broken', tool: 'wf.flaky', arguments: { key: 'never', failures: 99 }, onError: { action: 'continue' } },
      { id: 'done', tool: 'everything.echo', dependsOn: ['maybe', 'broken'], arguments: { message: 'done' } },
    ],
  },
  {
    name: 'aborts',
    description: 'a failing step ends the run',
    steps: [{ id: 'fails', tool: 'wf.flaky', arguments: { key: 'always', failures: 99 } }],
  },
  {
    name: 'slow',
    description: 'past the workflow timeout',
    timeout: '300ms',
    steps: [{ id: 'long', tool: 'wf.work', arguments: { id: 'long', ms: 10_000 } }],
  },
  {
    name: 'hang',
    description: 'cancelled by the client',
    steps: [{ id: 'wait', tool: 'wf.work', arguments: { id: 'wait', ms: 20_000 } }],
  },
];

const gatewayConfig = (name: string, file: string, audit: Record<string, unknown> = {}) => ({
  name,
  incomingAuth: { type: 'anonymous', apiKeys: [{ name: 'carol', sha256: sha(KEY) }] },
  audit: { component: name, logFile: file, ...audit },
  backends: [stdioBackend('everything', EVERYTHING, ['stdio']), stdioBackend('wf', `${FIXTURES}/workflow-backend.mjs`)],
  compositeTools: COMPOSITES,
});

describe('workflow audit events', () => {
  let dir: string;
  let fileA: string;
  let fileB: string;
  let a: TestGateway;
  let b: TestGateway;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmcp-audit-wf-'));
    fileA = join(dir, 'a.log');
    fileB = join(dir, 'b.log');
    [a, b] = await Promise.all([
      startGateway(gatewayConfig('audit-a', fileA)),
      startGateway(
        gatewayConfig('audit-b', fileB, {
          eventTypes: ['vmcp_workflow_started', 'vmcp_workflow_completed'],
          excludeEventTypes: ['vmcp_workflow_completed'],
        }),
      ),
    ]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('records each run and step with name, id, status, duration, error and the caller', async () => {
    await using client = await connectClient(a.url, { name: 'wf-client', headers: { 'x-api-key': KEY } });
    const call = (name: string) => client.callTool({ name: `composite_${name}`, arguments: {} });
    const mixed = await call('mixed');
    assert.equal(mixed.isError, undefined);
    assert.equal((await call('aborts')).isError, true);
    assert.equal((await call('slow')).isError, true);

    const events = await waitFor(async () => {
      const all = (await auditEvents(fileA)).filter((e) => e.type.startsWith('vmcp_workflow'));
      return all.filter((e) => e.target?.['type'] === 'workflow' && e.type !== 'vmcp_workflow_started').length >= 3 ? all : undefined;
    }, 'three finished workflows in the audit log');
    const of = (workflow: string) => events.filter((e) => e.target?.['workflow_name'] === workflow);
    const one = (workflow: string, type: string, step?: string) => {
      const found = of(workflow).filter((e) => e.type === type && e.target?.['step_id'] === step);
      assert.equal(found.length, 1, `one ${type}${step ? ` for ${step}` : ''} of ${workflow}: ${JSON.stringify(of(workflow))}`);
      return found[0]!;
    };

    for (const e of events) {
      assert.equal(e.subjects.user_id, 'carol', 'the caller, by subject');
      assert.equal(e.subjects.client_name, 'wf-client');
      assert.equal(e.component, 'audit-a');
      assert.deepEqual(e.source, { type: 'local', value: 'vmcp-composer' });
    }
    assert.ok(!JSON.stringify(events).includes(KEY), 'never the credential');
    for (const name of ['mixed', 'aborts', 'slow'])
      assert.equal(new Set(of(name).map((e) => e.target?.['workflow_id'])).size, 1, `${name}: one workflow id on every event`);

    const started = one('mixed', 'vmcp_workflow_started');
    assert.equal(started.target?.['type'], 'workflow');
    assert.match(String(started.target?.['workflow_id']), /^[0-9a-f-]{36}$/);
    assert.equal(started.metadata.extra?.['step_count'], 3);
    assert.equal(started.metadata.extra?.['timeout_ms'], 30 * 60_000, "ToolHive's default timeout");

    const skipped = one('mixed', 'vmcp_workflow_step_skipped', 'maybe');
    assert.equal(skipped.target?.['type'], 'workflow_step');
    assert.equal(skipped.outcome, 'success');
    assert.equal(skipped.metadata.extra?.['status'], 'skipped');
    assert.equal(skipped.metadata.extra?.['reason'], 'condition');
    // As in ToolHive: the step starts, its condition is evaluated, then it is skipped.
    const maybe = of('mixed').filter((e) => e.target?.['step_id'] === 'maybe');
    assert.deepEqual(
      maybe.map((e) => e.type),
      ['vmcp_workflow_step_started', 'vmcp_workflow_step_skipped'],
    );

    const stepStart = one('mixed', 'vmcp_workflow_step_started', 'broken');
    assert.equal(stepStart.target?.['step_type'], 'tool');
    assert.equal(stepStart.target?.['tool_name'], 'wf.flaky');
    const broken = one('mixed', 'vmcp_workflow_step_failed', 'broken');
    assert.equal(broken.outcome, 'failure');
    assert.equal(broken.metadata.extra?.['status'], 'failed');
    assert.equal(broken.metadata.extra?.['continued'], true);
    assert.equal(broken.metadata.extra?.['retry_count'], 0);
    assert.match(String(broken.metadata.extra?.['error_message']), /attempt 1 failed/);
    assert.equal(typeof broken.metadata.extra?.['duration_ms'], 'number');

    const done = one('mixed', 'vmcp_workflow_step_completed', 'done');
    assert.equal(done.metadata.extra?.['status'], 'completed');
    assert.equal(typeof done.metadata.extra?.['duration_ms'], 'number');
    const completed = one('mixed', 'vmcp_workflow_completed');
    assert.equal(completed.outcome, 'success');
    assert.equal(completed.metadata.extra?.['status'], 'completed');
    assert.equal(typeof completed.metadata.extra?.['duration_ms'], 'number');

    one('aborts', 'vmcp_workflow_step_failed', 'fails');
    const aborted = one('aborts', 'vmcp_workflow_failed');
    assert.equal(aborted.outcome, 'failure');
    assert.equal(aborted.metadata.extra?.['status'], 'failed');
    assert.match(String(aborted.metadata.extra?.['error_message']), /fails/);
    assert.ok(!of('aborts').some((e) => e.type === 'vmcp_workflow_completed'));

    const timedOut = one('slow', 'vmcp_workflow_timed_out');
    assert.equal(timedOut.outcome, 'failure');
    assert.equal(timedOut.metadata.extra?.['status'], 'timed_out');
    assert.match(String(timedOut.metadata.extra?.['error_message']), /timed out after 300ms/);
    assert.ok(Number(timedOut.metadata.extra?.['duration_ms']) >= 290, JSON.stringify(timedOut));
    assert.equal(one('slow', 'vmcp_workflow_started').metadata.extra?.['timeout_ms'], 300);

    // The steps' own tool calls are audited as inner calls of the composite.
    const inner = (await auditEvents(fileA)).filter(
      (e) => e.type === 'mcp_tool_call' && e.metadata.extra?.['parent'] === 'composite_mixed',
    );
    assert.deepEqual(
      inner.map((e) => `${e.metadata.extra?.['step_id']}:${e.target?.['name']}:${e.outcome}`).sort(),
      ['broken:wf_flaky:application_error', 'done:everything_echo:success'],
      'each names its step',
    );
  });

  it('records a run the client cancelled as failed with status cancelled', async () => {
    await using client = await connectClient(a.url, { headers: { 'x-api-key': KEY } });
    const controller = new AbortController();
    const running = client.callTool({ name: 'composite_hang', arguments: {} }, { signal: controller.signal });
    const hang = async () => (await auditEvents(fileA)).filter((e) => e.target?.['workflow_name'] === 'hang');
    await waitFor(async () => (await hang()).some((e) => e.type === 'vmcp_workflow_step_started'), 'the step to start');
    controller.abort();
    await assert.rejects(running);
    const failed = await waitFor(async () => (await hang()).find((e) => e.type === 'vmcp_workflow_failed'), 'the failed event');
    assert.equal(failed.outcome, 'failure');
    assert.equal(failed.metadata.extra?.['status'], 'cancelled');
    assert.equal(failed.subjects.user_id, 'carol');
    assert.ok(!(await hang()).some((e) => e.type === 'vmcp_workflow_completed' || e.type === 'vmcp_workflow_step_completed'));
  });

  it("writes only its own gateway's runs, filtered by its eventTypes and excludeEventTypes", async () => {
    await using client = await connectClient(b.url, { headers: { 'x-api-key': KEY } });
    assert.equal((await client.callTool({ name: 'composite_mixed', arguments: {} })).isError, undefined);
    const own = await waitFor(async () => {
      const all = await auditEvents(fileB);
      return all.some((e) => e.type === 'vmcp_workflow_started') ? all : undefined;
    }, "gateway B's workflow event");
    // Give any stray event of the finished run (or of gateway A) time to arrive before asserting none did.
    await new Promise((r) => setTimeout(r, 200));
    const workflowEvents = (await auditEvents(fileB)).filter((e) => e.type.startsWith('vmcp_workflow'));
    assert.deepEqual(
      workflowEvents.map((e) => `${e.type}:${e.component}`),
      ['vmcp_workflow_started:audit-b'],
      'only the included type, the excluded one dropped, none of gateway A',
    );
    const idsOfA = new Set((await auditEvents(fileA)).map((e) => e.target?.['workflow_id']).filter(Boolean));
    assert.ok(!own.some((e) => idsOfA.has(e.target?.['workflow_id'])), "none of gateway A's runs");
    assert.ok(!own.some((e) => e.type === 'mcp_tool_call'), 'eventTypes also filters the call events');
  });
});
