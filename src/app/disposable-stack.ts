// The subset of TC39's AsyncDisposableStack the composition root needs (Node 20 has
// Symbol.asyncDispose but not the stack). Resources are disposed in reverse order of
// registration; every disposer runs even when an earlier one throws, and the first error wins.

type Disposer = () => Promise<void> | void;

export class AsyncDisposableStack implements AsyncDisposable {
  #disposers: Disposer[] = [];
  #disposed = false;

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Register a value with an idempotent `close()` or `[Symbol.asyncDispose]`; returns it. */
  use<T extends { close(): Promise<void> | void } | AsyncDisposable>(value: T): T {
    const dispose: Disposer =
      Symbol.asyncDispose in value
        ? async () => (value as AsyncDisposable)[Symbol.asyncDispose]()
        : () => (value as { close(): Promise<void> | void }).close();
    this.defer(dispose);
    return value;
  }

  defer(disposer: Disposer): void {
    if (this.#disposed) throw new Error('AsyncDisposableStack already disposed');
    this.#disposers.push(disposer);
  }

  /** A new stack owning everything this one owned; this one is left empty and disposed. */
  move(): AsyncDisposableStack {
    const next = new AsyncDisposableStack();
    next.#disposers = this.#disposers;
    this.#disposers = [];
    this.#disposed = true;
    return next;
  }

  async disposeAsync(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    let first: unknown;
    for (const dispose of this.#disposers.reverse()) {
      try {
        await dispose();
      } catch (err) {
        first ??= err;
      }
    }
    this.#disposers = [];
    if (first !== undefined) throw first;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.disposeAsync();
  }
}
