// Client sessions in Redis, shared by every replica: the record is one JSON string under
// `<prefix><id>` with a sliding TTL (each use slides it, as ToolHive's GETEX does), and two sorted
// sets count sessions in all and per quota key. Every operation is one script, so one round trip.
// Expiry is Redis's: a replica learns that a session it holds live parts for has gone on its next
// use, or from the periodic check here, which reports it through onExpire like the memory store.
import type { Redis } from 'ioredis';
import { CREATE, COUNT, DELETE, RESTORE, TOUCH, UPDATE } from './redis-session-scripts.js';
import type { SessionRecord, SessionStore } from './sessions.js';

export interface RedisSessionStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly ttlMs: number;
  /** A session not initialized within this expires. */
  readonly initTimeoutMs: number;
  /** How often live sessions held here are checked for expiry elsewhere (default min(ttl/4, init/2, 60 s); 0: never, tests call check()). */
  readonly checkIntervalMs?: number;
}

type Script = (keys: number, ...args: (string | number)[]) => Promise<unknown>;
type Scripts = Record<'create' | 'touch' | 'update' | 'delete' | 'count' | 'restore', Script>;

/** Session ids are UUIDs; anything else is unknown without asking Redis (and never names another key). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #initTimeoutMs: number;
  /** Sessions this replica created or loaded (it may hold their live parts). */
  readonly #known = new Set<string>();
  readonly #listeners: ((id: string) => void)[] = [];
  readonly #reconnectListeners: (() => void)[] = [];
  #down = false;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #scripts: Scripts;

  constructor(opts: RedisSessionStoreOptions) {
    this.#redis = opts.redis;
    this.#prefix = opts.keyPrefix;
    this.#ttlMs = opts.ttlMs;
    this.#initTimeoutMs = opts.initTimeoutMs;
    const scripts = { create: CREATE, touch: TOUCH, update: UPDATE, delete: DELETE, count: COUNT, restore: RESTORE };
    for (const [name, lua] of Object.entries(scripts)) this.#redis.defineCommand(`vmcpSession_${name}`, { lua });
    const r = this.#redis as unknown as Record<string, Script>;
    this.#scripts = Object.fromEntries(
      Object.keys(scripts).map((name) => [name, (...a: Parameters<Script>) => r[`vmcpSession_${name}`]!.call(this.#redis, ...a)]),
    ) as Scripts;
    this.#redis.on('close', () => void (this.#down = true));
    this.#redis.on('ready', () => {
      if (!this.#down) return;
      this.#down = false;
      for (const l of this.#reconnectListeners) l();
    });
    const every = opts.checkIntervalMs ?? Math.max(50, Math.min(opts.ttlMs / 4, opts.initTimeoutMs / 2, 60_000));
    if (every > 0) {
      this.#timer = setInterval(() => void this.check(), every);
      this.#timer.unref();
    }
  }

  async create(record: SessionRecord): Promise<void> {
    const ttl = record.initialized ? this.#ttlMs : this.#initTimeoutMs;
    await this.#scripts.create(
      3,
      this.#key(record.id),
      this.#all,
      this.#quota(record.quotaKey),
      JSON.stringify(record),
      ttl,
      Date.now(),
      record.id,
    );
    this.#known.add(record.id);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const text = await this.#scripts.touch(2, this.#key(id), this.#all, this.#ttlMs, Date.now(), id, this.#quotaPrefix);
    if (typeof text !== 'string') {
      this.#known.delete(id);
      return undefined;
    }
    this.#known.add(id);
    return JSON.parse(text) as SessionRecord;
  }

  async update(record: SessionRecord): Promise<void> {
    const json = JSON.stringify(record);
    const init = record.initialized ? '1' : '0';
    await this.#scripts.update(
      3,
      this.#key(record.id),
      this.#all,
      this.#quota(record.quotaKey),
      json,
      this.#ttlMs,
      Date.now(),
      record.id,
      init,
    );
  }

  async touch(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  async delete(id: string): Promise<void> {
    this.#known.delete(id);
    if (!SESSION_ID.test(id)) return;
    await this.#scripts.delete(2, this.#key(id), this.#all, id, this.#quotaPrefix);
  }

  async size(): Promise<number> {
    return Number(await this.#scripts.count(1, this.#all, Date.now()));
  }

  async countFor(quotaKey: string): Promise<number> {
    return Number(await this.#scripts.count(1, this.#quota(quotaKey), Date.now()));
  }

  onExpire(listener: (id: string) => void): void {
    this.#listeners.push(listener);
  }

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  async restore(records: readonly SessionRecord[]): Promise<void> {
    const now = Date.now();
    await Promise.all(
      records.map((r) =>
        this.#scripts.restore(3, this.#key(r.id), this.#all, this.#quota(r.quotaKey), JSON.stringify(r), this.#ttlFor(r), now, r.id),
      ),
    );
  }

  /** Report the sessions held here whose record is gone (expired, or deleted by another replica). */
  async check(): Promise<string[]> {
    const ids = [...this.#known];
    if (ids.length === 0 || this.#redis.status !== 'ready') return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.exists(this.#key(id));
    const results = await pipeline.exec().catch(() => null);
    if (!results) return [];
    const gone = ids.filter((_, i) => results[i]?.[0] === null && results[i]?.[1] === 0);
    for (const id of gone) {
      this.#known.delete(id);
      for (const l of this.#listeners) l(id);
    }
    return gone;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#known.clear();
  }

  #ttlFor(record: SessionRecord): number {
    return record.initialized ? this.#ttlMs : this.#initTimeoutMs;
  }

  get #all(): string {
    return `${this.#prefix}index:all`;
  }

  get #quotaPrefix(): string {
    return `${this.#prefix}index:quota:`;
  }

  #quota(quotaKey: string): string {
    return this.#quotaPrefix + quotaKey;
  }

  #key(id: string): string {
    return this.#prefix + id;
  }
}
