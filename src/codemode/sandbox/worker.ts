// Entry point of a sandbox worker thread (started by ../worker-handle.ts). It loads the QuickJS
// WebAssembly module once, then runs one script at a time, each in a fresh runtime. It touches
// nothing of the process: no files, no network, no environment; its only channel is the port.
import { parentPort, workerData } from 'node:worker_threads';
import * as releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSSyncVariant } from 'quickjs-emscripten-core';
import type { FromMessage, ToMessage } from '../protocol.js';
import { SandboxSession } from './session.js';

const port = parentPort;
if (port === null) throw new Error('the code mode sandbox runs only as a worker thread');
const control = new Int32Array((workerData as { control: SharedArrayBuffer }).control);
// The package's declarations describe its CommonJS build (the variant is `exports.default`);
// loaded as ESM, as here, the default export is the variant itself.
const loaded: unknown = releaseSync.default;
const variant = (
  typeof loaded === 'object' && loaded !== null && 'importFFI' in loaded ? loaded : releaseSync.default.default
) as QuickJSSyncVariant;
const module = await newQuickJSWASMModuleFromVariant(variant);
let session: SandboxSession | undefined;

const post = (message: FromMessage): void => port.postMessage(message);

port.on('message', (message: ToMessage) => {
  if (message.type === 'run') {
    session = new SandboxSession(module, message, post, control);
    session.start();
  } else if (session !== undefined && !session.done && message.runId === session.runId) {
    if (message.type === 'reply') session.reply(message);
    else session.stop(message.reason);
  }
});

post({ type: 'ready' });
