// The contrast case for the canary: the same QuickJS interpreter, the same `while (true) {}`,
// run on the main thread (as an in-process sandbox would). Each script runs until its step
// limit, one after another, for as long as the canary measures.
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSSyncVariant } from 'quickjs-emscripten-core';
import { SandboxSession } from '../../src/codemode/sandbox/session.js';
import { sandboxLimits } from '../../src/codemode/script-run.js';
import { resolveCodeMode } from '../../src/config/schema-codemode.js';

/** About 50 ms of interpreter work per script on the reference machine. */
const STEPS_PER_SCRIPT = 5_000_000;

export async function onMainThread<T>(measure: () => Promise<T>): Promise<T> {
  const loaded: unknown = variant;
  const module = await newQuickJSWASMModuleFromVariant(
    (typeof loaded === 'object' && loaded !== null && 'importFFI' in loaded ? loaded : variant.default) as QuickJSSyncVariant,
  );
  const limits = sandboxLimits(resolveCodeMode({ stepLimit: STEPS_PER_SCRIPT }));
  const control = new Int32Array(new SharedArrayBuffer(4));
  let running = true;
  let runId = 0;
  const spin = (): void => {
    if (!running) return;
    const request = { type: 'run' as const, runId: ++runId, script: 'while (true) {}', dataJson: '{}', tools: [], limits };
    new SandboxSession(
      module,
      request,
      () => undefined,
      control,
      () => undefined,
    ).start();
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return await measure();
  } finally {
    running = false;
  }
}
