// A per-second budget for messages a backend pushes at us (stderr lines, progress and log messages
// of one call): within the budget they pass, beyond it they are counted and dropped, so one chatty
// or hostile backend cannot flood the log or a client. The caller reports what was suppressed.

export class FloodGate {
  readonly #perSecond: number;
  readonly #now: () => number;
  #windowStart = 0;
  #used = 0;
  #suppressed = 0;

  constructor(perSecond: number, now: () => number = Date.now) {
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /** True when one more message fits this second's budget; false (and counted) when it does not. */
  admit(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#used = 0;
    }
    if (this.#used < this.#perSecond) {
      this.#used += 1;
      return true;
    }
    this.#suppressed += 1;
    return false;
  }

  /** Messages dropped since the last call (and resets the count). */
  takeSuppressed(): number {
    const n = this.#suppressed;
    this.#suppressed = 0;
    return n;
  }
}
