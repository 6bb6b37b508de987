// Client sessions live behind a small store interface: in memory now, Redis later (several
// replicas share it). The store keeps metadata only; the live objects (transport, server) stay
// node-local in the edge. Idle sessions expire (default 30 min, as ToolHive's vMCP).

export interface SessionRecord {
  readonly id: string;
  readonly era: 'legacy' | 'modern' | 'stdio';
  readonly createdAt: number;
  lastSeenAt: number;
  clientInfo?: { name: string; version: string };
  protocolVersion?: string;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | undefined>;
  /** Marks activity; returns false when the session is unknown or expired. */
  touch(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  size(): Promise<number>;
  /** Sessions removed by expiry are reported here, so the edge can close their live objects. */
  onExpire(listener: (id: string) => void): void;
  close(): Promise<void>;
}

import { systemClock, type Clock } from '../state/clock.js';

export type { Clock } from '../state/clock.js';

export interface InMemorySessionStoreOptions {
  ttlMs: number;
  clock?: Clock;
  /** How often to sweep; default min(ttl/4, 60s). 0 disables the timer (tests call sweep()). */
  sweepIntervalMs?: number;
}

export class InMemorySessionStore implements SessionStore {
  #records = new Map<string, SessionRecord>();
  #ttlMs: number;
  #clock: Clock;
  #expiryListeners: ((id: string) => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: InMemorySessionStoreOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#clock = opts.clock ?? systemClock;
    const every = opts.sweepIntervalMs ?? Math.min(opts.ttlMs / 4, 60_000);
    if (every > 0) {
      this.#timer = setInterval(() => this.sweep(), every);
      this.#timer.unref();
    }
  }

  async create(record: SessionRecord): Promise<void> {
    this.#records.set(record.id, record);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const r = this.#records.get(id);
    return r && !this.#expired(r) ? r : undefined;
  }

  async touch(id: string): Promise<boolean> {
    const r = this.#records.get(id);
    if (!r || this.#expired(r)) return false;
    r.lastSeenAt = this.#clock.now();
    return true;
  }

  async delete(id: string): Promise<void> {
    this.#records.delete(id);
  }

  onExpire(listener: (id: string) => void): void {
    this.#expiryListeners.push(listener);
  }

  async size(): Promise<number> {
    return this.#records.size;
  }

  /** Remove expired sessions and tell the edge; returns the expired ids. */
  sweep(): string[] {
    const expired = [...this.#records.values()].filter((r) => this.#expired(r)).map((r) => r.id);
    for (const id of expired) {
      this.#records.delete(id);
      for (const l of this.#expiryListeners) l(id);
    }
    return expired;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#records.clear();
  }

  #expired(r: SessionRecord): boolean {
    return this.#clock.now() - r.lastSeenAt > this.#ttlMs;
  }
}
