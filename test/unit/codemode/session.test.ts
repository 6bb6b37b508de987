// One sandbox run, in this thread, against a real QuickJS instance: a run tells whether its
// runtime was freed cleanly, and the worker's Interpreter hands out a fresh instance after one
// that was not (quickjs-emscripten#269: a garbage collection inside a promise job trips
// QuickJS's leak assertion when the runtime is freed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DoneMessage, FromMessage } from '../../../src/codemode/protocol.js';
import { Interpreter } from '../../../src/codemode/sandbox/interpreter.js';
import { SandboxSession } from '../../../src/codemode/sandbox/session.js';
import { sandboxLimits } from '../../../src/codemode/script-run.js';
import { config } from './fake-host.js';

const interpreter = await Interpreter.load();

async function run(script: string): Promise<{ done: DoneMessage; clean: boolean }> {
  const module = await interpreter.instance();
  const control = new Int32Array(new SharedArrayBuffer(4));
  return new Promise((resolve) => {
    let clean = true;
    let session: SandboxSession | undefined = undefined;
    const post = (message: FromMessage): void => {
      if (message.type === 'call') {
        setImmediate(() => session?.reply({ type: 'reply', runId: 1, callId: message.callId, json: '{"ok":true,"value":"v"}' }));
      } else if (message.type === 'done') resolve({ done: message, clean });
    };
    const request = {
      type: 'run' as const,
      runId: 1,
      script,
      dataJson: '{}',
      tools: [{ key: 'echo', name: 'echo' }],
      limits: sandboxLimits(config()),
    };
    session = new SandboxSession(module, request, post, control, (ok) => (clean = ok));
    session.start();
  });
}

describe('sandbox session', () => {
  it('reports a clean end for an ordinary script', async () => {
    const { done, clean } = await run('const v = await tools.echo({}); return [v, 1 + 1];');
    assert.deepEqual(done.outcome, { ok: true, valueJson: '["v",2]' });
    assert.equal(clean, true);
  });

  it('reports an unclean end when the runtime cannot be freed, and the result still stands', async () => {
    const { done, clean } = await run('await tools.echo({}); return JSON.parse(JSON.stringify("x".repeat(3e6))).length;');
    assert.deepEqual(done.outcome, { ok: true, valueJson: '3000000' });
    assert.equal(clean, false);
  });

  it('the interpreter gives a fresh WebAssembly instance after renew()', async () => {
    const before = await interpreter.instance();
    interpreter.renew();
    const after = await interpreter.instance();
    assert.notEqual(after, before);
    assert.deepEqual((await run('return "works"')).done.outcome, { ok: true, valueJson: '"works"' });
  });
});
