// The limits in time: the per-call timeout (catchable, and the host's call is aborted), the
// script timeout, cancellation by the caller (stops the script and its calls), a worker stuck in
// an operation that never polls (terminated and replaced), and the gateway's own event loop,
// which keeps running while a script spins.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeMode } from '../../../src/codemode/index.js';
import { config, FakeHost, firstText } from './fake-host.js';

const codeMode = new CodeMode(config({ workers: 1, toolCallTimeout: '200ms', scriptTimeout: '2s' }));
after(() => codeMode.close());

const waitFor = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('code mode time limits', () => {
  it('a tool call past toolCallTimeout is aborted at the host and throws a catchable ToolError naming the limit', async () => {
    const host = new FakeHost();
    const script = 'try { await tools.hang({}); } catch (e) { return [e.code, e.message]; }';
    const result = await codeMode.execute({ script }, host);
    const [code, message] = JSON.parse(firstText(result)) as [string, string];
    assert.equal(code, 'TOOL_CALL_TIMEOUT');
    assert.match(message, /tool call timeout exceeded: hang took longer than 200ms \(codeMode\.toolCallTimeout\)/);
    assert.equal(host.calls[0]!.signal.aborted, true);
    assert.equal(host.calls[0]!.timeoutMs, 200);
  });

  it('uncaught, the per-call timeout ends the script with its message', async () => {
    const result = await codeMode.execute({ script: 'await tools.hang({})' }, new FakeHost());
    assert.equal(result.isError, true);
    assert.match(firstText(result), /\[TOOL_CALL_TIMEOUT\]: tool call timeout exceeded/);
  });

  it('a script that keeps calling slow tools ends on the script timeout, and a call in flight is cancelled', async () => {
    // Its own instance: a per-call limit far above each call's 150 ms, so only the script timeout
    // can end it (the last call's deadline is the rest of the script's time).
    const patient = new CodeMode(config({ workers: 1, toolCallTimeout: '30s', scriptTimeout: '2s' }));
    const host = new FakeHost();
    const result = await patient.execute({ script: 'for (;;) await tools.slow({ ms: 150 });' }, host).finally(() => patient.close());
    assert.equal((result.structuredContent as { error: { limit: string } }).error.limit, 'scriptTimeout');
    assert.match(firstText(result), /script timeout exceeded: the script ran longer than 2s \(codeMode\.scriptTimeout\)/);
    // The script may have been between two calls when its time ran out; a call it had started
    // must not outlive it.
    assert.ok(
      host.calls.every((c) => c.finished || c.signal.aborted),
      'every call either finished or was cancelled',
    );
  });

  it('cancelling stops the script and aborts its inner calls', async () => {
    const host = new FakeHost();
    const controller = new AbortController();
    const pending = codeMode.execute({ script: 'await parallel([() => tools.hang({}), () => tools.hang({})])' }, host, {
      signal: controller.signal,
    });
    await waitFor(() => host.calls.length === 2);
    controller.abort();
    const result = await pending;
    assert.match(firstText(result), /the script was cancelled/);
    assert.ok(host.calls.every((c) => c.signal.aborted));
    const calls = (result.structuredContent as { calls: { status: string }[] }).calls;
    assert.deepEqual(
      calls.map((c) => c.status),
      ['cancelled', 'cancelled'],
    );
  });

  it('a worker stuck in an operation that never polls is terminated at the limit, and the next script runs', async () => {
    const impatient = new CodeMode(config({ workers: 1, scriptTimeout: '300ms' }));
    try {
      // JSON.stringify of nested arrays works for seconds (a cycle check per level, 3,000 times over
      // a nesting of 1,000) without polling QuickJS's interrupt, so only terminating the worker
      // stops it. A deeper nesting would end at once on the stack limit on a fast machine.
      const script = 'let a = []; for (let i = 0; i < 1000; i++) a = [a]; return JSON.stringify(new Array(3000).fill(a)).length;';
      const stuck = await impatient.execute({ script }, new FakeHost());
      assert.equal((stuck.structuredContent as { error: { limit: string } }).error.limit, 'scriptTimeout', firstText(stuck));
      // The replacement worker starts cold; its first script may need longer than this test's
      // short timeout on a loaded machine, so only the second one is checked.
      await impatient.execute({ script: 'return 1' }, new FakeHost());
      const next = await impatient.execute({ script: 'return await tools.echo({ message: "fresh worker" })' }, new FakeHost());
      assert.equal(firstText(next), '"fresh worker"');
    } finally {
      await impatient.close();
    }
  });

  it('closing code mode ends the scripts still running, and refuses new ones', async () => {
    const closing = new CodeMode(config({ workers: 1 }));
    const host = new FakeHost();
    const running = closing.execute({ script: 'for (;;) await tools.slow({ ms: 20 });' }, host);
    await waitFor(() => host.calls.length > 0);
    await closing.close();
    assert.match(firstText(await running), /shutting down/);
    assert.match(firstText(await closing.execute({ script: 'return 1' }, host)), /shut down/);
  });

  it('the event loop keeps turning while a script spins in the sandbox', async () => {
    const spinner = new CodeMode(config({ workers: 1, stepLimit: 1e12, scriptTimeout: '3s' }));
    try {
      await spinner.warm();
      let settled = false;
      const running = spinner.execute({ script: 'while (true) {}' }, new FakeHost()).finally(() => (settled = true));
      let ticks = 0;
      while (ticks < 20) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        ticks++;
      }
      assert.equal(settled, false, 'twenty timer turns of the main loop passed while the script was still running');
      assert.equal(((await running).structuredContent as { error: { limit: string } }).error.limit, 'scriptTimeout');
    } finally {
      await spinner.close();
    }
  });
});
