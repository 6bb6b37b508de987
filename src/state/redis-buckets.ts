// Rate-limit buckets in Redis, one budget for every replica. A call's takes — from every bucket
// that applies to it (shared, per user, per tool) — are one Lua script: read and refill each
// bucket, and only if every one holds a token take one from each (all or nothing, atomic in
// Redis), so concurrent replicas never both spend the last token and a refusal by one bucket
// never drains another. When Redis cannot be reached the take is allowed (fail open, as
// ToolHive's limiter does: an outage of the limiter must not become an outage of the gateway) and
// `onFailOpen` is told, so the operator sees it as a warning and a metric. The script touches
// several keys, so this needs a standalone Redis (or a primary), not Redis Cluster.
import type { Redis } from 'ioredis';
import type { BucketDecision, BucketRule, BucketTake, MultiBucketDecision, MultiBucketStore } from './buckets.js';

/**
 * KEYS: the buckets. ARGV: now, then maxTokens and refillPeriodMs of each bucket in turn.
 * Returns {1, remaining} when every bucket gave a token, {0, index of the first that refused
 * (0-based), ms until it has one}, and nothing is taken then.
 */
const TAKE_ALL = `
local now = tonumber(ARGV[1])
local levels = {}
for i = 1, #KEYS do
  local max = tonumber(ARGV[2 * i])
  local period = tonumber(ARGV[2 * i + 1])
  local b = redis.call('HMGET', KEYS[i], 't', 'ts')
  local tokens = tonumber(b[1]) or max
  local ts = tonumber(b[2]) or now
  tokens = math.min(max, tokens + math.max(0, now - ts) * max / period)
  if tokens < 1 then
    return {0, i - 1, math.ceil((1 - tokens) * period / max)}
  end
  levels[i] = tokens
end
local remaining = nil
for i = 1, #KEYS do
  local period = tonumber(ARGV[2 * i + 1])
  local left = levels[i] - 1
  redis.call('HSET', KEYS[i], 't', tostring(left), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(period * 2))
  if remaining == nil or left < remaining then remaining = left end
end
return {1, tostring(remaining or 0)}`;

export interface RedisBucketStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Called on each take that was allowed because Redis could not be asked. */
  readonly onFailOpen?: (error: Error) => void;
}

type TakeAll = (keys: number, ...args: (string | number)[]) => Promise<[number, string | number, number?]>;

export class RedisBucketStore implements MultiBucketStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #onFailOpen: (error: Error) => void;
  readonly #takeAll: TakeAll;

  constructor(opts: RedisBucketStoreOptions) {
    this.#redis = opts.redis;
    this.#prefix = `${opts.keyPrefix}bucket:`;
    this.#onFailOpen = opts.onFailOpen ?? (() => undefined);
    this.#redis.defineCommand('vmcpBucketTakeAll', { lua: TAKE_ALL });
    const r = this.#redis as unknown as Record<string, TakeAll>;
    this.#takeAll = (...a) => r['vmcpBucketTakeAll']!.call(this.#redis, ...a);
  }

  take(key: string, rule: BucketRule, now: number): Promise<BucketDecision> {
    return this.takeAll([{ key, rule }], now);
  }

  /** One round trip for all of a call's buckets. */
  async takeAll(takes: readonly BucketTake[], now: number): Promise<MultiBucketDecision> {
    if (takes.length === 0) return { allowed: true, remaining: 0, retryAfterMs: 0 };
    const keys = takes.map((t) => this.#prefix + t.key);
    const rules = takes.flatMap((t) => [t.rule.maxTokens, t.rule.refillPeriodMs]);
    try {
      const [allowed, second, retry] = await this.#takeAll(keys.length, ...keys, Math.floor(now), ...rules);
      if (allowed === 1) return { allowed: true, remaining: Math.floor(Number(second)), retryAfterMs: 0 };
      return { allowed: false, remaining: 0, retryAfterMs: Number(retry), rejected: Number(second) };
    } catch (err) {
      this.#onFailOpen(err instanceof Error ? err : new Error(String(err)));
      return { allowed: true, remaining: Math.min(...takes.map((t) => t.rule.maxTokens)), retryAfterMs: 0 };
    }
  }

  /** The connection belongs to whoever opened it (it is shared with the session store). */
  async close(): Promise<void> {}
}
