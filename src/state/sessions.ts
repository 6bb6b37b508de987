// Client sessions live behind a small store interface: in memory (one replica), or shared by
// several replicas. The record is plain data — everything another replica needs to serve the
// session: who owns it, what the client declared, its log level and subscriptions. The live parts
// (an open GET stream, requests in flight) stay with the replica that holds them. Idle sessions
// expire (default 30 min, as ToolHive's vMCP); a session that never finished its handshake
// expires sooner (server.limits.sessionInitTimeout).
import type { JsonObject } from '../protocol/index.js';
import { systemClock, type Clock } from './clock.js';

export interface SessionOwner {
  readonly kind: string;
  readonly issuer: string;
  readonly subject: string;
}

export interface SessionRecord {
  readonly id: string;
  readonly era: 'legacy' | 'stdio';
  readonly protocolVersion: string;
  readonly clientInfo?: { readonly name: string; readonly version: string };
  readonly clientCapabilities: JsonObject;
  /** The identity that created the session; only it may use the session. */
  readonly owner: SessionOwner;
  /** Counts against server.limits.maxSessionsPerPrincipal (the owner, or the remote address for anonymous callers). */
  readonly quotaKey: string;
  readonly createdAt: number;
  lastSeenAt: number;
  initialized: boolean;
  logLevel?: string;
  subscriptions: string[];
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  /** The record, marking activity (the idle TTL slides); undefined when unknown or expired. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Saves a changed record (initialized, log level, subscriptions). */
  update(record: SessionRecord): Promise<void>;
  /** Marks activity; returns false when the session is unknown or expired. */
  touch(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  size(): Promise<number>;
  /** Live sessions counted against one quota key. */
  countFor(quotaKey: string): Promise<number>;
  /** Sessions removed by expiry are reported here, so the edge can close their live parts. */
  onExpire(listener: (id: string) => void): void;
  /** A shared store that was unreachable is back: `listener` may restore what it lost (restore()). */
  onReconnect?(listener: () => void): void;
  /** Put back records the store lost while it was away (existing ones are left as they are). */
  restore?(records: readonly SessionRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface InMemorySessionStoreOptions {
  ttlMs: number;
  /** A session not initialized within this expires (default: ttlMs). */
  initTimeoutMs?: number;
  clock?: Clock;
  /** How often to sweep; default min(ttl/4, initTimeout/2, 60s). 0 disables the timer (tests call sweep()). */
  sweepIntervalMs?: number;
}

export class InMemorySessionStore implements SessionStore {
  #records = new Map<string, SessionRecord>();
  #quota = new Map<string, number>();
  #ttlMs: number;
  #initTimeoutMs: number;
  #clock: Clock;
  #expiryListeners: ((id: string) => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: InMemorySessionStoreOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#initTimeoutMs = opts.initTimeoutMs ?? opts.ttlMs;
    this.#clock = opts.clock ?? systemClock;
    const every = opts.sweepIntervalMs ?? Math.max(50, Math.min(opts.ttlMs / 4, this.#initTimeoutMs / 2, 60_000));
    if (every > 0) {
      this.#timer = setInterval(() => this.sweep(), every);
      this.#timer.unref();
    }
  }

  async create(record: SessionRecord): Promise<void> {
    this.#records.set(record.id, record);
    this.#quota.set(record.quotaKey, (this.#quota.get(record.quotaKey) ?? 0) + 1);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const r = this.#records.get(id);
    if (!r || this.#expired(r)) return undefined;
    r.lastSeenAt = this.#clock.now();
    return r;
  }

  async update(record: SessionRecord): Promise<void> {
    if (this.#records.has(record.id)) this.#records.set(record.id, record);
  }

  async touch(id: string): Promise<boolean> {
    const r = this.#records.get(id);
    if (!r || this.#expired(r)) return false;
    r.lastSeenAt = this.#clock.now();
    return true;
  }

  async delete(id: string): Promise<void> {
    const r = this.#records.get(id);
    if (!r) return;
    this.#records.delete(id);
    const n = (this.#quota.get(r.quotaKey) ?? 1) - 1;
    if (n > 0) this.#quota.set(r.quotaKey, n);
    else this.#quota.delete(r.quotaKey);
  }

  async size(): Promise<number> {
    return this.#records.size;
  }

  async countFor(quotaKey: string): Promise<number> {
    return this.#quota.get(quotaKey) ?? 0;
  }

  onExpire(listener: (id: string) => void): void {
    this.#expiryListeners.push(listener);
  }

  /** Remove expired sessions and tell the edge; returns the expired ids. */
  sweep(): string[] {
    const expired = [...this.#records.values()].filter((r) => this.#expired(r)).map((r) => r.id);
    for (const id of expired) {
      void this.delete(id);
      for (const l of this.#expiryListeners) l(id);
    }
    return expired;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#records.clear();
    this.#quota.clear();
  }

  #expired(r: SessionRecord): boolean {
    const idle = this.#clock.now() - r.lastSeenAt;
    return idle > this.#ttlMs || (!r.initialized && this.#clock.now() - r.createdAt > this.#initTimeoutMs);
  }
}
