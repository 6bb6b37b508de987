// The QuickJS WebAssembly instance a worker runs scripts in. The module is compiled once per
// worker; an instance is replaced (from the compiled module, in milliseconds) whenever a run
// could not free its runtime cleanly. quickjs-emscripten 0.32 trips QuickJS's leak assertion
// when a garbage collection ran inside a promise job
// (https://github.com/justjake/quickjs-emscripten/issues/269), which aborts the instance; the
// next script must not inherit it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type CustomizeVariantOptions,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';

// The package's declarations describe its CommonJS build (the variant is `exports.default`);
// loaded as ESM, as here, the default export is the variant itself.
const loaded: unknown = releaseSync.default;
const BASE = (
  typeof loaded === 'object' && loaded !== null && 'importFFI' in loaded ? loaded : releaseSync.default.default
) as QuickJSSyncVariant;

// Node has the WebAssembly global; TypeScript declares it only in its DOM libraries.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<object> };

export class Interpreter {
  readonly #variant: QuickJSSyncVariant;
  #current: Promise<QuickJSWASMModule>;

  private constructor(variant: QuickJSSyncVariant) {
    this.#variant = variant;
    this.#current = newQuickJSWASMModuleFromVariant(variant);
  }

  static async load(): Promise<Interpreter> {
    const path = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    const wasmModule = await WebAssembly.compile(await readFile(path));
    // The instance's stderr carries only that assertion; the worker's stderr is the gateway's.
    const emscriptenModule = { printErr: () => undefined } as CustomizeVariantOptions['emscriptenModule'];
    const interpreter = new Interpreter(newVariant(BASE, { wasmModule, emscriptenModule }));
    await interpreter.#current;
    return interpreter;
  }

  /** The instance for the next script (a fresh one is on its way after renew()). */
  instance(): Promise<QuickJSWASMModule> {
    return this.#current;
  }

  /** Drop the current instance (its memory goes with it) and start a fresh one. */
  renew(): void {
    this.#current = newQuickJSWASMModuleFromVariant(this.#variant);
  }
}
