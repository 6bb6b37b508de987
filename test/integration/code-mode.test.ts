// Code mode through the front door, with real backends (server-everything, the slow fixture):
// execute_tool_script is listed with the caller's tools declared, runs a script whose calls go
// through the request chain (visible on the call channel under the real tool's name), gives a
// Cedar-hidden tool no way in, relays inner calls' progress and cancels them at their backend.
// Both protocol eras over HTTP, and stdio.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { callChannel, channels, type BackendStderrEvent, type CallTrace, type ScriptEvent } from '../../src/observability/channels.js';
import type { ResolvedCall } from '../../src/routing/context.js';
import { connectClient, EVERYTHING, FIXTURES, ROOT, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';

const ERAS = ['legacy', '2026-07-28'] as const;
const everything = stdioBackend('everything', EVERYTHING, ['stdio']);
const slow = stdioBackend('slow', `${FIXTURES}/slow.mjs`, ['--progress-interval-ms', '50']);

const SHAPED = `
const first = await tools.everything_echo({ message: data.word });
const sum = await tools.everything_get_sum({ a: data.numbers[0], b: data.numbers[1] });
const [p1, p2, weather] = await parallel([
  () => tools.everything_echo({ message: 'p1' }),
  () => tools["everything_get-sum"]({ a: 1, b: 1 }),
  () => tools.everything_get_structured_content({ location: 'New York' }),
]);
return { first, sum, p1, p2, hasTemperature: typeof weather.temperature === 'number', count: data.numbers.length };`;

/** Backend calls seen on the call channel (every call through the chain, inner ones included). */
function recordCalls(): { calls: { backend: string; name: string; parent?: string }[]; stop(): void } {
  const calls: { backend: string; name: string; parent?: string }[] = [];
  const start = (message: unknown): void => {
    const call = (message as CallTrace).call as ResolvedCall;
    if (call.target.kind !== 'backend' || call.method !== 'tools/call') return;
    const parent = call.ctx.parent?.target.kind === 'virtual' ? call.ctx.parent.target.name : undefined;
    calls.push({ backend: call.target.backend, name: call.target.name, ...(parent ? { parent } : {}) });
  };
  callChannel.start.subscribe(start);
  return { calls, stop: () => callChannel.start.unsubscribe(start) };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

describe('code mode through the gateway', () => {
  for (const era of ERAS) {
    it(`${era}: runs sequential and parallel calls through the chain and returns a shaped object`, async () => {
      const seen = recordCalls();
      const scripts: ScriptEvent[] = [];
      const onScript = (e: unknown): void => void scripts.push(e as ScriptEvent);
      channels.script.subscribe(onScript);
      try {
        await using gw = await startGateway({ name: 'cm', codeMode: { enabled: true }, backends: [everything] });
        await using client = await connectClient(gw.url, { era });
        const { tools } = await client.listTools();
        const tool = tools.find((t) => t.name === 'execute_tool_script');
        assert.ok(tool, 'listed under its own name, whatever the naming strategy');
        assert.match(tool.description ?? '', /everything_echo\(args: \{/);
        assert.match(tool.description ?? '', /everything_get_sum\(/);
        const r = await client.request({
          method: 'tools/call',
          params: { name: 'execute_tool_script', arguments: { script: SHAPED, data: { word: 'hi', numbers: [2, 3] } } },
        });
        assert.notEqual((r as { isError?: boolean }).isError, true, text(r as never));
        assert.deepEqual(structured(r)['result'], {
          first: 'Echo: hi',
          sum: 'The sum of 2 and 3 is 5.',
          p1: 'Echo: p1',
          p2: 'The sum of 1 and 1 is 2.',
          hasTemperature: true,
          count: 2,
        });
        assert.equal((structured(r)['calls'] as unknown[]).length, 5);
        const inner = seen.calls.filter((c) => c.parent === 'execute_tool_script');
        assert.deepEqual(inner.map((c) => `${c.backend}/${c.name}`).sort(), [
          'everything/echo',
          'everything/echo',
          'everything/get-structured-content',
          'everything/get-sum',
          'everything/get-sum',
        ]);
        assert.deepEqual(
          scripts.map((s) => [s.outcome, s.calls]),
          [['ok', 5]],
        );
      } finally {
        seen.stop();
        channels.script.unsubscribe(onScript);
      }
    });

    it(`${era}: a tool the Cedar policy forbids is not declared, a call to it is a catchable ToolError, and it never reaches the backend`, async () => {
      const seen = recordCalls();
      try {
        const policies = [
          'permit(principal, action, resource);',
          'forbid(principal, action == Action::"call_tool", resource == Tool::"everything_get-env");',
        ];
        const incomingAuth = { type: 'anonymous', authz: { type: 'cedar', policies } };
        await using gw = await startGateway({ name: 'cm', incomingAuth, codeMode: { enabled: true }, backends: [everything] });
        await using client = await connectClient(gw.url, { era });
        const { tools } = await client.listTools();
        const description = tools.find((t) => t.name === 'execute_tool_script')?.description ?? '';
        assert.match(description, /everything_echo/);
        assert.doesNotMatch(description, /get_env|get-env/);
        const script = `
          const caught = [];
          for (const key of ['everything_get_env', 'everything_get-env']) {
            try { await tools[key]({}); } catch (e) { caught.push(e.name + ': ' + /not permitted/.test(e.message)); }
          }
          return { caught, bound: Object.keys(tools).filter((k) => k.includes('env')), echo: await tools.everything_echo({ message: 'after' }) };`;
        const r = await client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script } } });
        assert.deepEqual(structured(r)['result'], { caught: ['ToolError: true', 'ToolError: true'], bound: [], echo: 'Echo: after' });
        assert.ok(!seen.calls.some((c) => c.name === 'get-env'), 'the forbidden tool never reached the backend');
        assert.ok(seen.calls.some((c) => c.name === 'echo' && c.parent === 'execute_tool_script'));
      } finally {
        seen.stop();
      }
    });

    it(`${era}: the policy governs execute_tool_script itself`, async () => {
      const policies = ['permit(principal, action, resource) unless { resource == Tool::"execute_tool_script" };'];
      const incomingAuth = { type: 'anonymous', authz: { type: 'cedar', policies } };
      await using gw = await startGateway({ name: 'cm', incomingAuth, codeMode: { enabled: true }, backends: [everything] });
      await using client = await connectClient(gw.url, { era });
      const call = client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script: 'return 1' } } });
      await assert.rejects(call, /Forbidden: call_tool on tool "execute_tool_script"/);
    });

    it(`${era}: inner calls' progress reaches the client, and cancelling the script cancels them at the backend`, async () => {
      const lines: string[] = [];
      const onLine = (e: unknown): void => void lines.push((e as BackendStderrEvent).line);
      channels.backendStderr.subscribe(onLine);
      try {
        await using gw = await startGateway({ name: 'cm', codeMode: { enabled: true }, backends: [slow] });
        await using client = await connectClient(gw.url, { era });
        const progress: { progress: number; message?: string }[] = [];
        const script = 'return await parallel([() => tools.slow_sleep({ ms: 300 }), () => tools.slow_sleep({ ms: 250 })]);';
        const r = await client.request(
          { method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script } } },
          { onprogress: (p) => void progress.push(p) },
        );
        assert.deepEqual(structured(r)['result'], ['slept 300ms', 'slept 250ms']);
        assert.ok(progress.length >= 2, `progress relayed (${progress.length})`);
        assert.ok(
          progress.every((p, i) => i === 0 || p.progress > progress[i - 1]!.progress),
          'one increasing count across parallel calls',
        );
        assert.match(progress[0]?.message ?? '', /^slow_sleep: slept \d+ms of \d+ms/);

        const controller = new AbortController();
        const cancelled = client.request(
          {
            method: 'tools/call',
            params: { name: 'execute_tool_script', arguments: { script: 'return await tools.slow_sleep({ ms: 5000 })' } },
          },
          { signal: controller.signal },
        );
        await waitFor(() => progress.length > 0, 'the script started');
        await new Promise((r) => setTimeout(r, 300));
        controller.abort('user pressed stop');
        await assert.rejects(cancelled);
        await waitFor(() => lines.some((l) => /sleep 5000ms cancelled/.test(l)), 'the backend saw the cancellation');
      } finally {
        channels.backendStderr.unsubscribe(onLine);
      }
    });
  }

  it("a call past codeMode.toolCallTimeout is the script's ToolError and no mark against the backend's health", async () => {
    await using gw = await startGateway({ name: 'cm', codeMode: { enabled: true, toolCallTimeout: '200ms' }, backends: [slow] });
    await using client = await connectClient(gw.url);
    const script = `const codes = [];
      for (let i = 0; i < 4; i++) { try { await tools.slow_sleep({ ms: 3000 }); } catch (e) { codes.push(e.code); } }
      return codes;`;
    const r = await client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script } } });
    assert.deepEqual(structured(r)['result'], Array(4).fill('TOOL_CALL_TIMEOUT'));
    const health = gw.monitor.get('slow');
    assert.equal(health?.consecutiveFailures, 0, 'the script gave up on the calls: not a backend failure');
    assert.equal(health?.state, 'healthy');
  });

  it('refuses to start when a backend advertises a tool under the reserved name, and starts once it is renamed', async () => {
    const spec = JSON.stringify({ name: 'clash', tools: [{ name: 'execute_tool_script' }] });
    const clash = stdioBackend('clash', `${FIXTURES}/named.mjs`, [], { env: { NAMED_SPEC: spec } });
    const aggregation = { conflictResolution: 'manual' };
    await assert.rejects(
      startGateway({ name: 'cm', aggregation, codeMode: { enabled: true }, backends: [clash] }),
      /backend "clash" advertises a tool named "execute_tool_script", the name code mode reserves/,
    );
    const renamed = { ...aggregation, tools: [{ workload: 'clash', overrides: { execute_tool_script: { name: 'clash_script' } } }] };
    await using gw = await startGateway({ name: 'cm', aggregation: renamed, codeMode: { enabled: true }, backends: [clash] });
    assert.ok(gw.catalog.tool('clash_script'));
  });

  it('serves execute_tool_script over stdio', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmcp-cm-'));
    const file = join(dir, 'vmcp.yaml');
    writeFileSync(
      file,
      `name: cm-stdio\ncodeMode:\n  enabled: true\nbackends:\n  - name: slow\n    transport: stdio\n    command: node\n    args: [${FIXTURES}/slow.mjs]\n`,
    );
    const client = new Client({ name: 'stdio-test', version: '1' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'serve', '--stdio', '--config', file],
      cwd: ROOT,
      stderr: 'pipe',
    });
    await client.connect(transport);
    try {
      const script = 'const a = await tools.slow_sleep({ ms: 5 }); return { a, b: await tools.slow_sleep({ ms: 6 }) };';
      const r = await client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script } } });
      assert.deepEqual(structured(r)['result'], { a: 'slept 5ms', b: 'slept 6ms' });
    } finally {
      await client.close();
    }
  });
});
