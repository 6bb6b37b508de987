// A fixed number of sandbox workers (codeMode.workers), started on first use and kept warm. A
// script takes one for its whole run; scripts beyond that wait in a bounded queue. A worker that
// misbehaved (hung past its stop, crashed, left the interpreter inconsistent) is terminated and
// a fresh one is started when next needed.
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { SANDBOX_QUEUE_LIMIT } from './limits.js';
import { WorkerHandle } from './worker-handle.js';

export class PoolLimitError extends Error {}

export type Release = 'reusable' | 'broken';

interface Waiter {
  /** Hand a worker to the waiter; false if it gave up meanwhile (the caller keeps the worker). */
  readonly give: (worker: WorkerHandle) => boolean;
  readonly fail: (err: unknown) => void;
}

export class SandboxPool {
  readonly #size: number;
  readonly #idle: WorkerHandle[] = [];
  readonly #busy = new Set<WorkerHandle>();
  readonly #waiters: Waiter[] = [];
  #owned = 0;
  #closed = false;

  constructor(size: number) {
    this.#size = size;
  }

  /** A worker for one run; waits (bounded) while all are busy. `signal` gives up waiting. */
  async acquire(signal: AbortSignal): Promise<WorkerHandle> {
    if (this.#closed) throw new Error('code mode is shut down');
    signal.throwIfAborted();
    const idle = this.#takeIdle();
    if (idle !== undefined) return this.#lend(idle);
    if (this.#owned < this.#size) return this.#lend(await this.#spawn());
    if (this.#waiters.length >= SANDBOX_QUEUE_LIMIT) throw new PoolLimitError('sandboxQueue');
    return new Promise<WorkerHandle>((resolve, reject) => {
      let waiting = true;
      const onAbort = (): void => {
        waiting = false;
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        give: (worker) => {
          if (!waiting) return false;
          signal.removeEventListener('abort', onAbort);
          resolve(this.#lend(worker));
          return true;
        },
        fail: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(worker: WorkerHandle, how: Release): void {
    worker.detach();
    this.#busy.delete(worker);
    if (how === 'broken' || !worker.alive || this.#closed) {
      this.#owned--;
      if (worker.alive) {
        publish<WarningEvent>(channels.warning, { source: 'codemode', message: 'a sandbox worker was replaced after a script it ran' });
      }
      void worker.terminate();
      this.#serveWaiter();
      return;
    }
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      if (waiter.give(worker)) return;
    }
    this.#idle.push(worker);
  }

  /** Start every worker now, so the first scripts do not pay the start-up cost. */
  async warm(): Promise<void> {
    const started: Promise<WorkerHandle>[] = [];
    while (this.#owned < this.#size) started.push(this.#spawn());
    for (const worker of await Promise.all(started)) this.release(this.#lend(worker), 'reusable');
  }

  /** Terminate every worker; scripts still running end with an error saying so. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.fail(new Error('code mode is shut down'));
    const all = [...this.#idle.splice(0), ...this.#busy];
    await Promise.all(all.map((w) => w.terminate('code mode is shutting down')));
  }

  #lend(worker: WorkerHandle): WorkerHandle {
    this.#busy.add(worker);
    return worker;
  }

  #takeIdle(): WorkerHandle | undefined {
    for (let w = this.#idle.pop(); w !== undefined; w = this.#idle.pop()) {
      if (w.alive) return w;
      this.#owned--;
    }
    return undefined;
  }

  async #spawn(): Promise<WorkerHandle> {
    this.#owned++;
    const worker = new WorkerHandle();
    try {
      await worker.ready;
      return worker;
    } catch (err) {
      this.#owned--;
      void worker.terminate();
      throw new Error(`the code mode sandbox could not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** A worker slot came free: start one for the first waiter, if any. */
  #serveWaiter(): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined || this.#closed) return;
    this.#spawn().then((worker) => {
      if (!waiter.give(worker)) this.release(worker, 'reusable');
    }, waiter.fail);
  }
}
