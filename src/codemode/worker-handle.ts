// The gateway's side of one sandbox worker thread. The thread gets an empty environment, a
// bounded heap, a native stack large enough for QuickJS's own stack check to trip first
// (limits.ts), and a shared control word the interpreter polls, so a script busy in a loop can
// be stopped without waiting for it to read a message.
import { Worker } from 'node:worker_threads';
import { WORKER_HEAP_MB, WORKER_STACK_MB } from './limits.js';
import { STOP_REASONS, type FromMessage, type StopReason, type ToMessage } from './protocol.js';

// Built, the entry is the .js beside this module. Run from src/ under tsx (tests, benchmarks) it
// is the .ts file, and on Node 20 a worker does not inherit tsx's loader from `--import tsx`, so
// the worker registers it before importing the entry.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./sandbox/worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function entry(): URL | string {
  if (!FROM_SOURCE) return ENTRY;
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${api}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`;
}

export type WorkerListener = (message: FromMessage) => void;

export class WorkerHandle {
  readonly #worker: Worker;
  readonly #control = new Int32Array(new SharedArrayBuffer(4));
  readonly #ready: Promise<void>;
  #listener: WorkerListener | undefined;
  #onExit: ((reason: string) => void) | undefined;
  #exited: string | undefined;

  constructor() {
    this.#worker = new Worker(entry(), {
      eval: FROM_SOURCE,
      workerData: { control: this.#control.buffer },
      env: {} as Record<string, string>,
      resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    this.#worker.unref();
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#worker.once('message', (m: FromMessage) => (m.type === 'ready' ? resolve() : reject(new Error('unexpected first message'))));
      this.#worker.once('exit', () => reject(new Error(`the sandbox worker exited while starting: ${this.#exited ?? 'no reason given'}`)));
    });
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (m: FromMessage) => this.#listener?.(m));
    this.#worker.on('error', (err) => {
      this.#exited ??= err.message;
    });
    this.#worker.on('exit', (code) => {
      this.#exited ??= `exit code ${code}`;
      this.#onExit?.(this.#exited);
      this.detach();
    });
  }

  /** Resolves when the QuickJS module is loaded; rejects if the thread dies first. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  get alive(): boolean {
    return this.#exited === undefined;
  }

  /** Route this worker's messages and its death to the run that holds it (one at a time). */
  attach(listener: WorkerListener, onExit: (reason: string) => void): void {
    Atomics.store(this.#control, 0, 0);
    this.#listener = listener;
    this.#onExit = onExit;
  }

  detach(): void {
    this.#listener = undefined;
    this.#onExit = undefined;
  }

  post(message: ToMessage): void {
    if (this.alive) this.#worker.postMessage(message);
  }

  /** Seen by the interpreter within STEPS_PER_INTERRUPT steps, even in a tight loop. */
  signalStop(runId: number, reason: StopReason): void {
    Atomics.store(this.#control, 0, STOP_REASONS.indexOf(reason) + 1);
    this.post({ type: 'stop', runId, reason });
  }

  /** The run attached (if any) is told through its onExit, with `reason`. */
  async terminate(reason = 'terminated'): Promise<void> {
    this.#exited ??= reason;
    await this.#worker.terminate();
  }
}
