// Composite tools that ask the user, on both eras: a 2025-era client gets elicitation/create on
// the call's stream; a 2026-07-28 client gets input_required and resumes the suspended run on its
// retry. Accept runs the next step, decline skips the rest (skip_remaining), cancel aborts. And a
// step whose inner call Cedar denies fails the workflow: a composite is no way around a policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, EVERYTHING, MEMORY, startGateway, stdioBackend, text, type TestGateway } from '../helpers/gateway.js';

const ASK = {
  name: 'ask_then_echo',
  description: 'asks where to deploy, then echoes it',
  parameters: { type: 'object', properties: { what: { type: 'string', default: 'v1' } } },
  steps: [
    {
      id: 'q',
      type: 'elicitation',
      message: 'Deploy {{.params.what}}?',
      schema: { type: 'object', properties: { env: { type: 'string' } }, required: ['env'] },
      onDecline: { action: 'skip_remaining' },
      onCancel: { action: 'abort' },
    },
    {
      id: 'go',
      tool: 'everything.echo',
      dependsOn: ['q'],
      arguments: { message: 'deploying {{.params.what}} to {{.steps.q.content.env}}' },
    },
  ],
};

type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> };
type Result = { isError?: boolean; _meta?: Record<string, unknown>; [k: string]: unknown };
const steps = (r: Result) =>
  ((r._meta?.['vmcp/workflow'] as { steps: { id: string; status: string }[] }).steps ?? []).map((s) => `${s.id}:${s.status}`);

describe('composite elicitation steps on both eras', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ name: 'ask', backends: [stdioBackend('everything', EVERYTHING, ['stdio'])], compositeTools: [ASK] });
  });
  after(() => gw?.[Symbol.asyncDispose]());
  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`${era === 'legacy' ? '2025' : '2026'} client: accepted, declined and cancelled`, async () => {
      await using client = await connectClient(gw.url, { era, capabilities: { elicitation: { form: {} } } });
      const asked: string[] = [];
      let answer: Answer = { action: 'accept', content: { env: 'staging' } };
      client.setRequestHandler('elicitation/create', async (req) => {
        asked.push(String(req.params.message));
        return answer;
      });
      const call = async () => (await client.callTool({ name: 'composite_ask_then_echo', arguments: { what: 'v2' } })) as Result;

      const accepted = await call();
      assert.equal(text(accepted as never), JSON.stringify({ text: 'Echo: deploying v2 to staging' }));
      answer = { action: 'decline' };
      const declined = await call();
      assert.equal(declined.isError, undefined);
      assert.deepEqual(steps(declined), ['q:completed', 'go:skipped']);
      answer = { action: 'cancel' };
      const cancelled = await call();
      assert.equal(cancelled.isError, true);
      assert.match(text(cancelled as never), /cancel/i);
      assert.deepEqual(asked, ['Deploy v2?', 'Deploy v2?', 'Deploy v2?']);
    });
  }

  it('2026 client: the run suspends into input_required and resumes on the retry', async () => {
    await using client = await connectClient(gw.url, { era: '2026-07-28', capabilities: { elicitation: { form: {} } } });
    const params = { name: 'composite_ask_then_echo', arguments: {} };
    const first = (await client.request({ method: 'tools/call', params }, { allowInputRequired: true })) as Result;
    assert.equal(first['resultType'], 'input_required');
    const [key, request] = Object.entries(first['inputRequests'] as Record<string, { method: string; params: { message: string } }>)[0]!;
    assert.deepEqual([request.method, request.params.message], ['elicitation/create', 'Deploy v1?']);
    const inputResponses = { [key]: { action: 'accept', content: { env: 'prod' } } };
    const retry = { ...params, inputResponses, requestState: first['requestState'] };
    const done = (await client.request({ method: 'tools/call', params: retry as never }, { allowInputRequired: true })) as Result;
    assert.match(text(done as never), /deploying v1 to prod/);
  });

  it('a 2025 client without the elicitation capability: the step fails, nothing is asked', async () => {
    await using client = await connectClient(gw.url);
    const r = (await client.callTool({ name: 'composite_ask_then_echo', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    assert.match(text(r as never), /elicitation/);
  });

  it('a 2026 request that did not declare elicitation is refused as any call needing input is (-32021)', async () => {
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    await assert.rejects(client.callTool({ name: 'composite_ask_then_echo', arguments: {} }), /Missing required client capability/);
  });
});

describe('composite steps under Cedar', () => {
  it('a step whose inner call the policy denies fails the workflow; the allowed step ran', async () => {
    const policy = `
      permit(principal, action, resource in Backend::"composite");
      permit(principal, action == Action::"call_tool", resource in Backend::"everything");`;
    await using gw = await startGateway({
      name: 'authz',
      backends: [
        stdioBackend('everything', EVERYTHING, ['stdio']),
        stdioBackend('memory', MEMORY, [], { env: { MEMORY_FILE_PATH: `/tmp/vmcp-composite-authz-${process.pid}.jsonl` } }),
      ],
      incomingAuth: { type: 'anonymous', authz: { type: 'cedar', policies: [policy] } },
      compositeTools: [
        {
          name: 'reach_through',
          description: 'echo (allowed), then read the memory graph (denied)',
          steps: [
            { id: 'hello', tool: 'everything.echo', arguments: { message: 'hi' } },
            { id: 'graph', tool: 'memory.read_graph', dependsOn: ['hello'] },
          ],
        },
      ],
    });
    await using client = await connectClient(gw.url);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('composite_reach_through') && !names.includes('memory_read_graph'), names.join());
    await assert.rejects(client.callTool({ name: 'memory_read_graph', arguments: {} }), /Forbidden/);
    const r = (await client.callTool({ name: 'composite_reach_through', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    assert.match(text(r as never), /Forbidden: call_tool on tool "memory_read_graph"/);
    assert.deepEqual(steps(r), ['hello:completed', 'graph:failed']);
  });
});
