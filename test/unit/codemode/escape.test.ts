// Escape and abuse attempts: a script must not reach the host process (no process, require,
// Node globals, module loading), must not change the bound tools, and whatever it does to its
// own built-ins must neither leak into the host nor survive into the next script.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeMode } from '../../../src/codemode/index.js';
import { config, FakeHost, firstText } from './fake-host.js';

// One worker, so the second script of a pair runs in the very sandbox thread the first one used.
const codeMode = new CodeMode(config({ workers: 1 }));
after(() => codeMode.close());

async function run(script: string, host = new FakeHost()): Promise<unknown> {
  const result = await codeMode.execute({ script }, host);
  assert.equal(result.isError, undefined, firstText(result));
  return JSON.parse(firstText(result));
}

describe('code mode sandbox escapes', () => {
  it('the Function constructor and constructor chains reach only the sandbox’s own global', async () => {
    const probe = `(g) => [typeof g.process, typeof g.require, typeof g.module, typeof g.Buffer, typeof g.setTimeout,
      typeof g.fetch, typeof g.WebAssembly, typeof g.queueMicrotask, g === globalThis]`;
    const reached = await run(`
      const probe = ${probe};
      return [
        probe(Function('return this')()),
        probe(constructor.constructor('return this')()),
        probe(tools.echo.constructor('return this')()),
        probe((async () => {}).constructor.constructor('return this')()),
        probe(await parallel.constructor('return this')()),
        this === globalThis,
      ];`);
    const sandboxOnly = ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', true];
    assert.deepEqual(reached, [sandboxOnly, sandboxOnly, sandboxOnly, sandboxOnly, sandboxOnly, true]);
  });

  it('cannot load modules or evaluate its way out', async () => {
    const reached = await run(`
      const out = [];
      try { await import('node:fs'); out.push('imported'); } catch (e) { out.push('import refused'); }
      try { out.push(typeof eval('typeof process')); } catch (e) { out.push('eval refused'); }
      out.push(eval('typeof process'));
      return out;`);
    assert.deepEqual(reached, ['import refused', 'string', 'undefined']);
  });

  it('the bound tools object is frozen and has no prototype to pollute', async () => {
    const host = new FakeHost();
    const reached = await run(
      `'use strict';
      const out = [Object.isFrozen(tools), Object.getPrototypeOf(tools) === null, typeof tools.constructor];
      for (const attempt of [
        () => { tools.echo = () => 'hijacked'; },
        () => { tools.extra = 1; },
        () => { Object.setPrototypeOf(tools, { evil() {} }); },
        () => { delete tools.echo; },
      ]) { try { attempt(); out.push('changed'); } catch (e) { out.push(e.name); } }
      out.push(await tools.echo({ message: 'still echo' }));
      return out;`,
      host,
    );
    assert.deepEqual(reached, [true, true, 'undefined', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'still echo']);
    assert.deepEqual(
      host.calls.map((c) => c.name),
      ['echo'],
    );
  });

  it('polluting Object.prototype and friends stays in the sandbox and dies with the script', async () => {
    await run(`
      Object.prototype.polluted = 'yes';
      Array.prototype.push = () => 'hijacked';
      JSON.parse = () => ({ hijacked: true });
      globalThis.leftover = 42;
      Promise.prototype.then = function () { return this; };
      return 'polluted';`);
    const host = new FakeHost();
    const nextScript = await run(
      `return ['polluted' in {}, typeof globalThis.leftover, JSON.parse('{"a":1}').a, [1].push(2), await tools.echo({ message: 'ok' })]`,
      host,
    );
    assert.deepEqual(nextScript, [false, 'undefined', 1, 2, 'ok']);
    assert.equal('polluted' in {}, false, 'the host’s Object.prototype is untouched');
    assert.equal((globalThis as Record<string, unknown>)['leftover'], undefined);
  });

  it('tool calls still work after the script replaces JSON and Promise machinery', async () => {
    const reached = await run(`
      JSON.stringify = () => '{"message":"forged"}';
      JSON.parse = () => 'forged';
      Object.prototype.toJSON = undefined;
      return await tools.echo({ message: 'real' });`);
    assert.equal(reached, 'real');
  });

  it('a __proto__ key in tool arguments arrives as plain data, not as a prototype', async () => {
    const host = new FakeHost();
    await run(`return await tools.echo(JSON.parse('{"message":"m","__proto__":{"polluted":true}}'))`, host);
    const args = host.calls[0]!.args;
    assert.equal(Object.getPrototypeOf(args), Object.prototype);
    assert.equal((args as { polluted?: unknown }).polluted, undefined);
    assert.equal('polluted' in {}, false);
  });

  it('data is deep-frozen: a script cannot change what it was given', async () => {
    const result = await codeMode.execute(
      {
        script: `'use strict'; const out = [];
        for (const f of [() => { data.list.push(3); }, () => { data.nested.deep.x = 2; }, () => { data.added = 1; }]) {
          try { f(); out.push('changed'); } catch (e) { out.push(e.name); } }
        return [out, data];`,
        data: { list: [1, 2], nested: { deep: { x: 1 } } },
      },
      new FakeHost(),
    );
    assert.deepEqual(JSON.parse(firstText(result)), [
      ['TypeError', 'TypeError', 'TypeError'],
      { list: [1, 2], nested: { deep: { x: 1 } } },
    ]);
  });
});
