// Every limit ends a runaway script with an error that names it, and the host sees only the
// calls the limits allow: steps, stack, memory, calls in total, calls pending, parallel
// fan-out, result size.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeMode } from '../../../src/codemode/index.js';
import { config, FakeHost, firstText } from './fake-host.js';

const codeMode = new CodeMode(config({ workers: 2 }));
after(() => codeMode.close());

async function failure(script: string, host = new FakeHost()): Promise<{ text: string; limit: unknown }> {
  const result = await codeMode.execute({ script }, host);
  assert.equal(result.isError, true, `expected a failure, got ${firstText(result)}`);
  return { text: firstText(result), limit: (result.structuredContent as { error: { limit?: unknown } }).error.limit };
}

describe('code mode limits', () => {
  it('while (true) {} ends on the step limit', async () => {
    const { text, limit } = await failure('while (true) {}');
    assert.equal(limit, 'stepLimit');
    assert.match(text, /step limit exceeded: the script ran more than 100000 steps \(codeMode\.stepLimit\)/);
  });

  it('the step limit cannot be caught, nor dodged through the job queue', async () => {
    const caught = await failure('for (;;) { try { while (true) {} } catch (e) {} }');
    assert.equal(caught.limit, 'stepLimit');
    const microtasks = await failure('const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});');
    assert.equal(microtasks.limit, 'stepLimit');
    const async = await failure('async function f() { while (true) await null; } try { await f(); } catch (e) { return "caught"; }');
    assert.equal(async.limit, 'stepLimit');
  });

  it('deep recursion ends on the stack limit, also inside the parser', async () => {
    const recursion = await failure('function f(n) { return f(n + 1) + 1; } return f(0);');
    assert.equal(recursion.limit, 'stackLimit');
    assert.match(recursion.text, /stack limit exceeded/);
    const parser = await failure('return JSON.parse("[".repeat(1e6));');
    assert.equal(parser.limit, 'stackLimit');
    const literal = await failure('return eval("(".repeat(1e5) + "1" + ")".repeat(1e5));');
    assert.equal(literal.limit, 'stackLimit');
  });

  it('a 1 GB string ends on the memory limit (catching it changes nothing outside the sandbox)', async () => {
    const { text, limit } = await failure("return 'x'.repeat(1e9).length;");
    assert.equal(limit, 'memoryLimit');
    assert.match(text, /memory limit exceeded: the script needed more than 64 MiB \(codeMode\.memoryLimit\)/);
    const caught = await codeMode.execute({ script: "try { 'x'.repeat(1e9); } catch (e) { return String(e); }" }, new FakeHost());
    assert.equal(JSON.parse(firstText(caught)), 'InternalError: out of memory');
  });

  it('a 10,000-call loop stops at the tool call limit; the host sees exactly that many calls', async () => {
    const host = new FakeHost();
    const { text, limit } = await failure(
      'for (let i = 0; i < 10000; i++) { try { await tools.echo({ message: String(i) }); } catch (e) {} }',
      host,
    );
    assert.equal(limit, 'maxToolCalls');
    assert.match(text, /more than 1000 tool calls \(codeMode\.maxToolCalls\)/);
    assert.equal(host.calls.length, 1000);
  });

  it('parallel() over 1,000 calls completes with at most parallelMaxConcurrency in flight', async () => {
    const host = new FakeHost();
    const script = 'return (await parallel(Array.from({ length: 1000 }, (_, i) => () => tools.echo({ message: String(i) })))).length;';
    const result = await codeMode.execute({ script }, host);
    assert.equal(firstText(result), '1000');
    assert.equal(host.calls.length, 1000);
    assert.ok(host.maxInFlight <= 10, `at most 10 at once, saw ${host.maxInFlight}`);
    assert.ok(host.maxInFlight > 1, 'the calls did run in parallel');
  });

  it('1,000 calls started at once end on the pending call limit, with no more than the concurrency in flight', async () => {
    const host = new FakeHost();
    const { text, limit } = await failure('await Promise.all(Array.from({ length: 1000 }, () => tools.slow({ ms: 20 })));', host);
    assert.equal(limit, 'maxPendingCalls');
    assert.match(text, /more than 100 tool calls started and not settled/);
    assert.ok(host.calls.length <= 100, `${host.calls.length} calls reached the host`);
    assert.ok(host.maxInFlight <= 10);
  });

  it('a result larger than maxResultSize is refused', async () => {
    const { text, limit } = await failure("return 'x'.repeat(2 * 1024 * 1024);");
    assert.equal(limit, 'maxResultSize');
    assert.match(text, /larger than 1 MiB of JSON \(codeMode\.maxResultSize\)/);
    const multibyte = await failure("return 'é'.repeat(600 * 1024);");
    assert.equal(multibyte.limit, 'maxResultSize', 'measured in bytes, not characters');
  });

  it('parallel() stops starting tasks after a failure and throws the first error', async () => {
    const host = new FakeHost();
    const script = `try { await parallel([() => tools.deny({}), ...Array.from({ length: 50 }, () => () => tools.slow({ ms: 5 }))]); }
      catch (e) { return e.code; }`;
    const result = await codeMode.execute({ script }, host);
    assert.equal(JSON.parse(firstText(result)), 'VMCP_FORBIDDEN');
    assert.ok(host.calls.length < 51, `${host.calls.length} calls started`);
  });
});
