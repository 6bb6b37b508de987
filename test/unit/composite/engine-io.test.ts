// What goes into and comes out of a run: elicitation answers and their onDecline/onCancel
// actions, argument coercion to the tool's input schema, parameter defaults, the `output`
// object with defaults, and the CallToolResult with its _meta.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from '../../../src/composite/engine.js';
import { toCallToolResult, WORKFLOW_META_KEY } from '../../../src/composite/result.js';
import type { WorkflowMeta } from '../../../src/composite/result.js';
import { FakeHost, hang, settle, structured, text, workflow } from './fake-host.js';

function deployWorkflow(onDecline: string, onCancel: string) {
  return workflow({
    name: 'deploy',
    description: 'd',
    steps: [
      {
        id: 'ask',
        type: 'elicitation',
        message: 'Deploy PR {{.params.pr}}?',
        schema: { type: 'object', properties: { env: { type: 'string' } } },
        onDecline: { action: onDecline },
        onCancel: { action: onCancel },
        timeout: '1m',
      },
      {
        id: 'deploy',
        tool: 'k8s.deploy',
        dependsOn: ['ask'],
        arguments: {
          env: '{{.steps.ask.output.content.env}}',
          action: '{{.steps.ask.output.action}}',
          alias: '{{.steps.ask.content.env}}',
        },
      },
    ],
  });
}

describe('elicitation', () => {
  it('passes the rendered message and schema, and exposes the accepted answer', async () => {
    const host = new FakeHost();
    host.tools.set('k8s.deploy', (args) => structured(args));
    let asked: unknown;
    host.elicitation = (req) => {
      asked = req;
      return { action: 'accept', content: { env: 'staging' } };
    };
    const run = await runWorkflow(deployWorkflow('abort', 'abort'), { pr: 42 }, host);
    assert.equal(run.status, 'completed');
    assert.deepEqual(asked, { message: 'Deploy PR 42?', requestedSchema: { type: 'object', properties: { env: { type: 'string' } } } });
    assert.deepEqual(run.output, { env: 'staging', action: 'accept', alias: 'staging' });
  });

  const actions = ['skip_remaining', 'abort', 'continue'] as const;
  for (const answer of ['decline', 'cancel'] as const) {
    for (const action of actions) {
      it(`on ${answer} with ${answer === 'decline' ? 'onDecline' : 'onCancel'} ${action}`, async () => {
        const host = new FakeHost();
        host.tools.set('k8s.deploy', (args) => structured(args));
        host.elicitation = () => ({ action: answer });
        const wf = answer === 'decline' ? deployWorkflow(action, 'abort') : deployWorkflow('abort', action);
        const run = await runWorkflow(wf, { pr: 1 }, host);
        const [ask, deploy] = run.steps;
        if (action === 'abort') {
          assert.equal(run.status, 'failed');
          assert.match(run.error ?? '', new RegExp(`the user ${answer === 'decline' ? 'declined' : 'cancelled'} elicitation step "ask"`));
          assert.equal(deploy!.status, 'pending');
        } else if (action === 'skip_remaining') {
          assert.equal(run.status, 'completed');
          assert.deepEqual(ask!.output, { action: answer, skipped: true });
          assert.equal(deploy!.status, 'skipped');
          assert.equal(deploy!.skipReason, 'skip_remaining');
          assert.equal(host.calls.length, 0);
        } else {
          assert.equal(run.status, 'completed');
          assert.deepEqual(host.calls[0]!.args, { action: answer }, 'env and alias rendered <no value>, so they are left out');
        }
      });
    }
  }

  it('treats a timed-out question as cancel', async () => {
    const host = new FakeHost();
    host.tools.set('k8s.deploy', (args) => structured(args));
    host.elicitation = (_req, signal) => hang(signal) as never;
    const run = await settle(host.clock, runWorkflow(deployWorkflow('abort', 'continue'), { pr: 1 }, host));
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.steps[0]!.output, { action: 'cancel' });
    assert.equal(host.clock.now(), 60_000);
  });

  it('fails the step when the client cannot be asked', async () => {
    const host = new FakeHost();
    host.elicitation = () => {
      throw new Error('the client does not support elicitation');
    };
    const run = await runWorkflow(deployWorkflow('continue', 'continue'), {}, host);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /step "ask" failed: the client does not support elicitation/);
  });
});

describe('arguments', () => {
  it('coerces to the input schema; a lone action keeps its number (Go would print 1e+06)', async () => {
    const host = new FakeHost();
    host.tools.set('t.x', (args) => structured(args));
    host.schemas.set('t.x', {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        label: { type: 'string' },
        text: { type: 'integer' },
        flag: { type: 'boolean' },
        ratio: { type: 'number' },
        tags: { type: 'array', items: { type: 'integer' } },
        filter: { type: 'object' },
        maybe: { type: ['integer', 'null'] },
      },
    });
    const wf = workflow({
      name: 'w',
      description: 'd',
      parameters: { type: 'object', properties: { n: { type: 'integer' }, size: { type: 'integer', default: 5 } } },
      steps: [
        {
          id: 's',
          tool: 't.x',
          arguments: {
            count: '{{.params.n}}',
            label: '{{.params.n}}',
            text: 'n{{.params.n}}',
            flag: 'true',
            ratio: '{{.params.size}}',
            tags: ['1', '{{.params.size}}'],
            filter: '{{json .params}}',
            unset: '{{.params.none}}',
            literal: 7,
            maybe: '{{.params.size}}0',
          },
        },
      ],
    });
    const run = await runWorkflow(wf, { n: 1000000 }, host);
    assert.equal(run.status, 'completed');
    assert.deepEqual(host.calls[0]!.args, {
      count: 1000000,
      label: '1e+06',
      text: 'n1e+06',
      flag: true,
      ratio: 5,
      tags: [1, 5],
      filter: { n: 1000000, size: 5 },
      literal: 7,
      maybe: 50,
    });
  });

  it('refuses calls without a required parameter', async () => {
    const host = new FakeHost();
    const wf = workflow({
      name: 'w',
      description: 'd',
      parameters: { type: 'object', required: ['repo'] },
      steps: [{ id: 's', tool: 't.x' }],
    });
    const result = toCallToolResult(await runWorkflow(wf, {}, host));
    assert.equal(result.isError, true);
    assert.equal(result.content?.[0]?.text, 'Workflow execution failed: invalid arguments: missing required parameter repo');
    assert.equal(host.calls.length, 0);
  });
});

describe('output', () => {
  it('builds structuredContent from the output templates, with defaults and nested objects', async () => {
    const host = new FakeHost();
    host.tools.set('users.get', () => structured({ name: 'Ada', score: 95.5, logins: 1234567, profile: { email: 'a@x', verified: true } }));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 'u', tool: 'users.get' }],
      output: {
        properties: {
          name: { type: 'string', description: 'n', value: '{{.steps.u.output.name}}' },
          high: { type: 'string', description: 'h', value: '{{if gt .steps.u.output.score 90}}yes{{else}}no{{end}}' },
          logins: { type: 'integer', description: 'l', value: '{{.steps.u.output.logins}}' },
          missing: { type: 'integer', description: 'm', value: '{{.steps.u.output.nope}}', default: 3 },
          raw: { type: 'object', description: 'r', value: '{{json .steps.u.output.profile}}' },
          profile: {
            type: 'object',
            description: 'p',
            properties: {
              email: { type: 'string', description: 'e', value: '{{.steps.u.output.profile.email}}' },
              verified: { type: 'boolean', description: 'v', value: '{{.steps.u.output.profile.verified}}' },
            },
          },
          took: { type: 'integer', description: 't', value: '{{.workflow.duration_ms}}' },
        },
        required: ['name'],
      },
    });
    const result = toCallToolResult(await runWorkflow(wf, {}, host));
    assert.deepEqual(result.structuredContent, {
      name: 'Ada',
      high: 'yes',
      logins: 1234567,
      missing: 3,
      raw: { email: 'a@x', verified: true },
      profile: { email: 'a@x', verified: true },
      took: 0,
    });
    assert.equal(result.content?.[0]?.text, JSON.stringify(result.structuredContent));
  });

  it('fails the run when a required property has no value and no default', async () => {
    const host = new FakeHost();
    host.tools.set('t.x', () => text('plain'));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [{ id: 's', tool: 't.x' }],
      output: { properties: { n: { type: 'integer', description: 'n', value: '{{.steps.s.output.count}}' } }, required: ['n'] },
    });
    const run = await runWorkflow(wf, {}, host);
    assert.equal(run.status, 'failed');
    assert.equal(run.error, 'output property "n": cannot use "<no value>" as an integer');
  });

  it('returns the last step output without an output section, and per-step timing in _meta', async () => {
    const host = new FakeHost();
    host.tools.set('t.slow', async () => {
      await new Promise((r) => setImmediate(r));
      return text('first');
    });
    host.tools.set('t.x', () => ({
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'image', data: 'AAA', mimeType: 'image/png' },
      ],
    }));
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'one', tool: 't.slow' },
        { id: 'two', tool: 't.x', dependsOn: ['one'] },
      ],
    });
    const result = toCallToolResult(await runWorkflow(wf, {}, host, { id: 'run-1' }));
    assert.deepEqual(result.structuredContent, { text: 'a', text_1: 'b', image_0: 'AAA' });
    const m = result._meta?.[WORKFLOW_META_KEY] as WorkflowMeta;
    assert.equal(m.id, 'run-1');
    assert.equal(m.status, 'completed');
    assert.deepEqual(
      m.steps.map((s) => [s.id, s.level, s.status, s.attempts, typeof s.startedAtMs, typeof s.durationMs]),
      [
        ['one', 1, 'completed', 1, 'number', 'number'],
        ['two', 2, 'completed', 1, 'number', 'number'],
      ],
    );
    assert.deepEqual(host.eventTypes(), [
      'workflow.started',
      'step.started:one',
      'step.completed:one',
      'step.started:two',
      'step.completed:two',
      'workflow.completed',
    ]);
  });
});

describe('hostile data', () => {
  it('keeps a "__proto__" key from a backend as data', async () => {
    const host = new FakeHost();
    host.tools.set('t.src', () => structured(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>));
    host.tools.set('t.dst', (args) => structured(args));
    host.schemas.set('t.dst', { type: 'object', properties: { obj: { type: 'object' } } });
    const wf = workflow({
      name: 'w',
      description: 'd',
      steps: [
        { id: 'src', tool: 't.src' },
        { id: 'dst', tool: 't.dst', dependsOn: ['src'], arguments: { obj: '{{.steps.src.output}}', text: '{{json .steps.src.output}}' } },
      ],
    });
    const run = await runWorkflow(wf, {}, host);
    const args = host.calls[1]!.args as { obj: Record<string, unknown>; text: string };
    assert.equal(run.status, 'completed');
    assert.deepEqual(Object.keys(args.obj), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(args.obj), Object.prototype);
    assert.equal(args.text, '{"__proto__":{"polluted":true},"a":1}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
