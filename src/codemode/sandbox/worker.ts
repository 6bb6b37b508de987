// Entry point of a sandbox worker thread (started by ../worker-handle.ts). It compiles the
// QuickJS WebAssembly module once, then runs one script at a time, each in a fresh runtime (and,
// after a run that could not be freed cleanly, a fresh WebAssembly instance). Apart from reading
// the .wasm file at start-up it touches nothing of the process: no files, no network, no
// environment; its only channel is the port.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromMessage, ToMessage } from '../protocol.js';
import { Interpreter } from './interpreter.js';
import { SandboxSession } from './session.js';

const port = parentPort;
if (port === null) throw new Error('the code mode sandbox runs only as a worker thread');
const control = new Int32Array((workerData as { control: SharedArrayBuffer }).control);
const interpreter = await Interpreter.load();
let session: SandboxSession | undefined;

const post = (message: FromMessage): void => port.postMessage(message);
const ended = (clean: boolean): void => {
  if (!clean) interpreter.renew();
};

port.on('message', (message: ToMessage) => {
  if (message.type === 'run') {
    void interpreter.instance().then((module) => {
      session = new SandboxSession(module, message, post, control, ended);
      session.start();
    });
  } else if (session !== undefined && !session.done && message.runId === session.runId) {
    if (message.type === 'reply') session.reply(message);
    else session.stop(message.reason);
  }
});

post({ type: 'ready' });
