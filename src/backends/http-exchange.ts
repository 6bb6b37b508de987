// One HTTP exchange with a backend, from the request until its response body has ended. Each has
// its own abort controller, linked to the caller's per-request signal only while the exchange
// lives: the SDK's fetch-based transport hands one long-lived signal to every request, and undici
// keeps an `abort` listener on it per request until GC, so a busy backend soon prints
// MaxListenersExceededWarning (https://github.com/nodejs/undici/issues/3157).

export class Exchange {
  readonly #controller = new AbortController();
  readonly #live: Set<Exchange>;
  #unlink: (() => void) | undefined;

  constructor(live: Set<Exchange>, requestSignal?: AbortSignal) {
    this.#live = live;
    live.add(this);
    if (!requestSignal) return;
    if (requestSignal.aborted) {
      this.#controller.abort();
      return;
    }
    const onAbort = () => this.abort();
    requestSignal.addEventListener('abort', onAbort, { once: true });
    this.#unlink = () => requestSignal.removeEventListener('abort', onAbort);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  /** Ended on purpose (transport closed, or the caller cancelled this request). */
  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** The response has been read to its end (or failed): forget the caller's signal. */
  end(): void {
    this.#live.delete(this);
    this.#unlink?.();
    this.#unlink = undefined;
  }

  abort(): void {
    this.end();
    this.#controller.abort();
  }
}
