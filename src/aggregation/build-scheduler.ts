// Coalesced catalog builds: one build in flight, one pending. Every request made before the
// pending build runs is served by it, and a build waits while discoveries are still running (at
// start, 100 backends coming up one by one would otherwise cost 100 full rebuilds of a catalog
// that grows each time), but never longer than `maxDeferMs`, so a hanging discovery cannot hold
// back what the others found.

/** The longest a requested build waits for running discoveries. */
export const DEFAULT_MAX_BUILD_DEFER_MS = 1000;

interface Pending {
  readonly since: number;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

export class BuildScheduler {
  readonly #build: () => void;
  readonly #busy: () => boolean;
  readonly #maxDeferMs: number;
  #pending: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `busy`: true while the build should wait (discoveries running). `build` must not throw. */
  constructor(build: () => void, busy: () => boolean, maxDeferMs = DEFAULT_MAX_BUILD_DEFER_MS) {
    this.#build = build;
    this.#busy = busy;
    this.#maxDeferMs = maxDeferMs;
  }

  /** Ask for a build; resolves once a build that started after this call has finished. */
  request(): Promise<void> {
    if (this.#pending) return this.#pending.done;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.#pending = { since: Date.now(), done, resolve };
    setImmediate(() => this.poke());
    return done;
  }

  /** The pending build, if any (resolved at once when none is pending). */
  pending(): Promise<void> {
    return this.#pending?.done ?? Promise.resolve();
  }

  /** Conditions changed (a discovery finished): build now if nothing holds it back. */
  poke(): void {
    const p = this.#pending;
    if (!p) return;
    const waited = Date.now() - p.since;
    if (this.#busy() && waited < this.#maxDeferMs) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.poke();
      }, this.#maxDeferMs - waited);
      this.#timer.unref();
      return;
    }
    this.flush();
  }

  /** Run the pending build now, if there is one. */
  flush(): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = undefined; // a request made during the build is the next pending one
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      this.#build();
    } finally {
      p.resolve();
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
