// Client sessions in Redis, shared by every replica: the record is one JSON string under
// `<prefix><id>` with a sliding TTL (each use slides it, as ToolHive's GETEX does), and two sorted
// sets count sessions in all and per quota key. Every operation is one script, so one round trip.
// Expiry is Redis's: a replica learns that a session it holds live parts for has gone on its next
// use, or from the periodic check here, which reports it through onExpire like the memory store.
//
// With the replica bus, a replica answers for a record it holds without a round trip while it can
// vouch for it (held-records.ts): every update and delete here is announced to the others before
// it returns, and a use slides the TTL in the background, at most once a second per session.
import type { Redis } from 'ioredis';
import { HeldRecords, type HeldRecord } from './held-records.js';
import { CREATE, COUNT, DELETE, RESTORE, TOUCH, UPDATE } from './redis-session-scripts.js';
import type { BusHandler, BusMessage } from './replica-bus.js';
import type { SessionRecord, SessionStore } from './sessions.js';

/** What the store needs of the replica bus (RedisReplicaBus) to keep the records held here current. */
export interface RecordAnnouncer {
  /** Since when every broadcast has been heard without a gap; undefined while not listening. */
  readonly listeningSince: number | undefined;
  broadcast(message: BusMessage): Promise<void>;
  on(kind: string, handler: BusHandler): void;
}

/** The bus message announcing that a session's record changed or is gone. */
const CHANGED = 'session-record';
/** A session in use slides its TTL in Redis at most this often (and at most every 1/20 of the TTL). */
const SLIDE_EVERY_MS = 1000;

export interface RedisSessionStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly ttlMs: number;
  /** A session not initialized within this expires. */
  readonly initTimeoutMs: number;
  /** How often live sessions held here are checked for expiry elsewhere (default min(ttl/4, init/2, 60 s); 0: never, tests call check()). */
  readonly checkIntervalMs?: number;
  /** Announces changes to the other replicas; without it every use is a round trip. */
  readonly bus?: RecordAnnouncer;
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
  readonly #held: HeldRecords;
  readonly #bus: RecordAnnouncer | undefined;
  readonly #slideEveryMs: number;
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
    this.#held = new HeldRecords(opts.ttlMs);
    this.#slideEveryMs = Math.min(SLIDE_EVERY_MS, opts.ttlMs / 20);
    this.#bus = opts.bus;
    this.#bus?.on(CHANGED, (m) => typeof m['session'] === 'string' && this.#held.invalidate(m['session']));
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
    const [json, sentAt, generation] = [JSON.stringify(record), Date.now(), this.#held.generation];
    await this.#scripts.create(3, this.#key(record.id), this.#all, this.#quota(record.quotaKey), json, ttl, sentAt, record.id);
    this.#held.remember(record.id, json, record.initialized, sentAt, generation);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const now = Date.now();
    const held = this.#held.get(id);
    if (held && this.#redis.status === 'ready' && this.#held.vouched(held, now, this.#bus?.listeningSince)) {
      if (!held.sliding && now - held.slidAt >= this.#slideEveryMs) void this.#slide(id, held, now);
      return JSON.parse(held.text) as SessionRecord;
    }
    return this.#read(id, now);
  }

  async update(record: SessionRecord): Promise<void> {
    // A read still on its way (a background slide) may return the record as it was before this write.
    this.#held.invalidate(record.id);
    const [json, sentAt, generation] = [JSON.stringify(record), Date.now(), this.#held.generation];
    const init = record.initialized ? '1' : '0';
    const key = this.#key(record.id);
    const saved = await this.#scripts.update(3, key, this.#all, this.#quota(record.quotaKey), json, this.#ttlMs, sentAt, record.id, init);
    if (saved === 1) this.#held.remember(record.id, json, record.initialized, sentAt, generation);
    await this.#announce(record.id);
  }

  async touch(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  /** Resolves once the record is gone and the other replicas have been told. */
  async delete(id: string): Promise<void> {
    this.#held.forget(id);
    if (!SESSION_ID.test(id)) return;
    await this.#scripts.delete(2, this.#key(id), this.#all, id, this.#quotaPrefix);
    await this.#announce(id);
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
    const ids = this.#held.ids();
    if (ids.length === 0 || this.#redis.status !== 'ready') return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.exists(this.#key(id));
    const results = await pipeline.exec().catch(() => null);
    if (!results) return [];
    const gone = ids.filter((_, i) => results[i]?.[0] === null && results[i]?.[1] === 0);
    for (const id of gone) this.#expired(id);
    return gone;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#held.clear();
  }

  /** Get and slide in one round trip; what comes back is held here. */
  async #read(id: string, sentAt: number): Promise<SessionRecord | undefined> {
    const generation = this.#held.generation;
    const text = await this.#scripts.touch(2, this.#key(id), this.#all, this.#ttlMs, sentAt, id, this.#quotaPrefix);
    if (typeof text !== 'string') {
      this.#held.forget(id);
      return undefined;
    }
    const record = JSON.parse(text) as SessionRecord;
    this.#held.remember(id, text, record.initialized, sentAt, generation);
    return record;
  }

  /** A use answered from here slides the TTL in the background; a record found gone is reported as expired. */
  async #slide(id: string, held: HeldRecord, now: number): Promise<void> {
    held.sliding = true;
    held.slidAt = now;
    try {
      if (!(await this.#read(id, now))) this.#expired(id);
    } catch {
      // Redis unreachable: the record is no longer vouched for once its confirmation ages.
    } finally {
      held.sliding = false;
    }
  }

  #expired(id: string): void {
    this.#held.forget(id);
    for (const l of this.#listeners) l(id);
  }

  async #announce(id: string): Promise<void> {
    await this.#bus?.broadcast({ kind: CHANGED, session: id });
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
