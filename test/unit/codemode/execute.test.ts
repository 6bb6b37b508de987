// execute_tool_script end to end through a real worker and QuickJS, against a fake host that
// records what reaches it: tool calls in sequence and in parallel, data, the result shape and
// call log, console lines, and errors from tools surfacing as catchable ToolErrors.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeMode } from '../../../src/codemode/index.js';
import { channels } from '../../../src/observability/channels.js';
import { config, FakeHost, firstText } from './fake-host.js';

const codeMode = new CodeMode(config());
after(() => codeMode.close());

describe('execute_tool_script', () => {
  it('calls two tools in sequence and three in parallel, reads data, and returns a shaped object', async () => {
    const host = new FakeHost();
    const script = `
      const greeting = await tools.echo({ message: data.name });
      const { sum } = await tools.add_numbers({ a: data.numbers[0], b: data.numbers[1] });
      const triple = await parallel([
        () => tools.echo({ message: 'x' }),
        () => tools["add-numbers"]({ a: 1, b: 1 }),
        tools.echo({ message: 'z' }),
      ]);
      console.log('done', { sum });
      return { greeting, sum, triple, frozen: Object.isFrozen(data.numbers) };`;
    const result = await codeMode.execute({ script, data: { name: 'ada', numbers: [2, 3] } }, host);
    const expected = { greeting: 'ada', sum: 5, triple: ['x', { sum: 2 }, 'z'], frozen: true };
    assert.equal(result.isError, undefined, firstText(result));
    assert.deepEqual(JSON.parse(firstText(result)), expected);
    const structured = result.structuredContent as {
      result: unknown;
      calls: { tool: string; status: string; durationMs: number }[];
      logs: string[];
    };
    assert.deepEqual(structured.result, expected);
    assert.deepEqual(structured.logs, ['done {"sum":5}']);
    assert.equal(structured.calls.length, 5);
    assert.ok(structured.calls.every((c) => c.status === 'ok' && typeof c.durationMs === 'number'));
    // The third task is a promise, so its call starts when the array is built, before parallel() runs.
    assert.deepEqual(
      host.calls.map((c) => [c.name, c.args]),
      [
        ['echo', { message: 'ada' }],
        ['add-numbers', { a: 2, b: 3 }],
        ['echo', { message: 'z' }],
        ['echo', { message: 'x' }],
        ['add-numbers', { a: 1, b: 1 }],
      ],
    );
  });

  it('surfaces a denial and an error result as catchable ToolErrors with message and code', async () => {
    const host = new FakeHost();
    const script = `
      const seen = [];
      for (const name of ['deny', 'fail']) {
        try { await tools[name]({}); } catch (e) { seen.push({ isToolError: e instanceof ToolError, name: e.name, message: e.message, code: e.code, tool: e.tool }); }
      }
      return seen;`;
    const result = await codeMode.execute({ script }, host);
    assert.deepEqual(JSON.parse(firstText(result)), [
      { isToolError: true, name: 'ToolError', message: 'Access denied: not authorized to call tool', code: 'VMCP_FORBIDDEN', tool: 'deny' },
      { isToolError: true, name: 'ToolError', message: 'the widget is broken', code: 'TOOL_ERROR', tool: 'fail' },
    ]);
    const calls = (result.structuredContent as { calls: { status: string; code?: string }[] }).calls;
    assert.deepEqual(
      calls.map((c) => [c.status, c.code]),
      [
        ['error', 'VMCP_FORBIDDEN'],
        ['error', 'TOOL_ERROR'],
      ],
    );
  });

  it('an uncaught ToolError fails the script with the tool, the code and the message', async () => {
    const result = await codeMode.execute({ script: 'await tools.deny({}); return 1' }, new FakeHost());
    assert.equal(result.isError, true);
    assert.match(firstText(result), /uncaught ToolError from deny \[VMCP_FORBIDDEN\]: Access denied/);
    assert.equal((result.structuredContent as { error: { code: string } }).error.code, 'VMCP_FORBIDDEN');
  });

  it('reports syntax and runtime errors with the line of the script', async () => {
    const syntax = await codeMode.execute({ script: 'const a = 1;\nconst b = ;' }, new FakeHost());
    assert.match(firstText(syntax), /SyntaxError: .* \(line 2\)/);
    const runtime = await codeMode.execute({ script: 'const a = null;\n\nreturn a.b;' }, new FakeHost());
    assert.match(firstText(runtime), /TypeError: .* \(line 3\)/);
  });

  it('freezing a large data argument does not count against the script’s steps', async () => {
    const data = { items: Array.from({ length: 60_000 }, (_, i) => ({ i })) };
    const result = await codeMode.execute({ script: 'return data.items.length', data }, new FakeHost());
    assert.equal(firstText(result), '60000');
  });

  it('refuses bad arguments without running anything', async () => {
    const host = new FakeHost();
    for (const args of [{}, { script: '' }, { script: 'return 1', data: [1] }, 'return 1']) {
      const result = await codeMode.execute(args, host);
      assert.equal(result.isError, true);
      assert.match(firstText(result), /"script"|"data"|arguments/);
    }
    assert.equal(host.calls.length, 0);
  });

  it('binds only the caller’s tools, never execute_tool_script itself', async () => {
    const host = new FakeHost([...new FakeHost().tools(), { name: 'execute_tool_script', inputSchema: { type: 'object' } }]);
    const result = await codeMode.execute({ script: 'return Object.keys(tools).sort()' }, host);
    assert.deepEqual(JSON.parse(firstText(result)), ['add-numbers', 'add_numbers', 'deny', 'echo', 'fail', 'hang', 'slow']);
  });

  it('fails a script that waits for a promise nothing can settle, instead of hanging', async () => {
    const result = await codeMode.execute({ script: 'await new Promise(() => {}); return 1' }, new FakeHost());
    assert.match(firstText(result), /nothing will ever settle/);
  });

  it('a script that allocates heavily after an await leaves the sandbox usable for the next one, in the same worker', async () => {
    // A garbage collection inside a promise job used to leave QuickJS unable to free its runtime.
    const replaced: unknown[] = [];
    const onWarning = (event: unknown): void => void replaced.push(event);
    channels.warning.subscribe(onWarning);
    try {
      const heavy = 'await tools.echo({ message: "go" }); return JSON.parse(JSON.stringify("x".repeat(3e6))).length;';
      for (let i = 0; i < 3; i++) assert.equal(firstText(await codeMode.execute({ script: heavy }, new FakeHost())), '3000000');
      assert.equal(firstText(await codeMode.execute({ script: 'return 1 + 1' }, new FakeHost())), '2');
      assert.deepEqual(replaced, [], 'no worker was replaced');
    } finally {
      channels.warning.unsubscribe(onWarning);
    }
  });

  it('returns null for a script without a return value, and refuses a value that is not JSON', async () => {
    assert.equal(firstText(await codeMode.execute({ script: 'await tools.echo({ message: "m" })' }, new FakeHost())), 'null');
    assert.match(firstText(await codeMode.execute({ script: 'return 10n' }, new FakeHost())), /not JSON/);
    assert.match(firstText(await codeMode.execute({ script: 'const a = {}; a.a = a; return a' }, new FakeHost())), /not JSON/);
  });
});
