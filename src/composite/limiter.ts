// A counting semaphore: at most `limit` tasks run at once, the rest wait in order. Used for the
// steps of a level (10, ToolHive's defaultMaxParallelSteps) and for forEach iterations.
import { abortReason } from './signals.js';

export class Limiter {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Runs `task` when a slot is free; a task still waiting when `signal` aborts never starts. */
  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (this.#running < this.#limit) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.#running++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(start);
        if (i !== -1) this.#waiting.splice(i, 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(start);
    });
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
