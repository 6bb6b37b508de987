// The tool calls of one script as the worker sees them: at most parallelMaxConcurrency in
// flight (the rest wait here, in order), at most maxPendingCalls started and unsettled, at most
// maxToolCalls in all. Passing a bound is fatal to the script, not a catchable error: a loop
// that catches errors would otherwise spin on the limit.
import type { LimitName } from '../limits.js';

export interface GateLimits {
  readonly parallelMaxConcurrency: number;
  readonly maxPendingCalls: number;
  readonly maxToolCalls: number;
}

export class LimitHit extends Error {
  readonly limit: LimitName;
  constructor(limit: LimitName) {
    super(limit);
    this.limit = limit;
  }
}

export class CallGate<T> {
  readonly #limits: GateLimits;
  readonly #send: (call: T) => void;
  readonly #waiting: T[] = [];
  #inFlight = 0;
  #started = 0;

  constructor(limits: GateLimits, send: (call: T) => void) {
    this.#limits = limits;
    this.#send = send;
  }

  /** Nothing in flight and nothing waiting: no host reply can ever arrive. */
  get idle(): boolean {
    return this.#inFlight === 0 && this.#waiting.length === 0;
  }

  /** Admit a call or throw LimitHit. */
  admit(call: T): void {
    if (this.#started >= this.#limits.maxToolCalls) throw new LimitHit('maxToolCalls');
    if (this.#inFlight + this.#waiting.length >= this.#limits.maxPendingCalls) throw new LimitHit('maxPendingCalls');
    this.#started++;
    if (this.#inFlight < this.#limits.parallelMaxConcurrency) {
      this.#inFlight++;
      this.#send(call);
    } else {
      this.#waiting.push(call);
    }
  }

  /** One call in flight has its answer: start the next waiting one. */
  settled(): void {
    this.#inFlight--;
    const next = this.#waiting.shift();
    if (next !== undefined) {
      this.#inFlight++;
      this.#send(next);
    }
  }
}
