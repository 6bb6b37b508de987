// Rediscovery, coalesced per backend: one discovery in flight and at most one pending (the kinds
// asked for meanwhile are merged into it), so a burst of list_changed notifications costs two
// discoveries, not one each. Kinds that failed are retried on their own, with backoff, until they
// succeed or the backend reconnects (which rediscovers everything anyway).
import type { BackendConnector } from '../backends/connector.js';
import { backoffDelay, type BackoffPolicy } from '../backends/backoff.js';
import type { InventoryKind } from './discovery.js';

/** Runs one discovery of `kinds` and applies it; resolves to the kinds that failed. */
export type DiscoverFn = (connector: BackendConnector, kinds: readonly InventoryKind[]) => Promise<readonly InventoryKind[]>;

/** Retry of a failed kind: 2 s, doubling, at most 5 min. */
export const defaultKindRetry: BackoffPolicy = { initialMs: 2000, maxMs: 300_000, factor: 2, jitter: 0.2 };

interface Pending {
  readonly kinds: Set<InventoryKind>;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

interface Lane {
  running: Promise<void> | undefined;
  pending: Pending | undefined;
  failures: number;
  retry: NodeJS.Timeout | undefined;
}

export class DiscoveryLanes {
  readonly #discover: DiscoverFn;
  readonly #policy: BackoffPolicy;
  readonly #onIdle: () => void;
  readonly #lanes = new Map<string, Lane>();
  #running = 0;
  #closed = false;

  /** `onIdle` is told whenever a discovery finishes (a deferred build may go ahead). */
  constructor(discover: DiscoverFn, onIdle: () => void, policy: BackoffPolicy = defaultKindRetry) {
    this.#discover = discover;
    this.#onIdle = onIdle;
    this.#policy = policy;
  }

  /** Discoveries running right now. */
  get running(): number {
    return this.#running;
  }

  /** Resolves once a discovery covering `kinds` that started after this call has been applied. */
  refresh(connector: BackendConnector, kinds: readonly InventoryKind[]): Promise<void> {
    const lane = this.#lane(connector.name);
    if (lane.pending) {
      for (const k of kinds) lane.pending.kinds.add(k);
      return lane.pending.done;
    }
    if (lane.running) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      lane.pending = { kinds: new Set(kinds), done, resolve };
      return done;
    }
    lane.running = this.#run(connector, lane, kinds).finally(() => this.#next(connector, lane));
    return lane.running;
  }

  /** Resolves when no discovery is running or pending. */
  async settled(): Promise<void> {
    for (;;) {
      const busy = [...this.#lanes.values()].flatMap((l) => [l.running, l.pending?.done].filter((p) => p !== undefined));
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
  }

  close(): void {
    this.#closed = true;
    for (const lane of this.#lanes.values()) clearTimeout(lane.retry);
  }

  #lane(name: string): Lane {
    let lane = this.#lanes.get(name);
    if (!lane) this.#lanes.set(name, (lane = { running: undefined, pending: undefined, failures: 0, retry: undefined }));
    return lane;
  }

  async #run(connector: BackendConnector, lane: Lane, kinds: readonly InventoryKind[]): Promise<void> {
    this.#running++;
    let failed: readonly InventoryKind[] = [];
    try {
      failed = await this.#discover(connector, kinds);
    } catch {
      failed = kinds;
    } finally {
      this.#running--;
    }
    clearTimeout(lane.retry);
    lane.retry = undefined;
    if (failed.length === 0) {
      lane.failures = 0;
      return;
    }
    lane.failures++;
    if (this.#closed) return;
    lane.retry = setTimeout(() => void this.refresh(connector, failed), backoffDelay(lane.failures, this.#policy));
    lane.retry.unref();
  }

  #next(connector: BackendConnector, lane: Lane): void {
    lane.running = undefined;
    const p = lane.pending;
    lane.pending = undefined;
    if (p) void this.refresh(connector, [...p.kinds]).then(p.resolve);
    this.#onIdle();
  }
}
