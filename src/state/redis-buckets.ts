// Rate-limit buckets in Redis, one budget for every replica. Each take is one Lua script (read,
// refill, take, write: atomic in Redis), so concurrent replicas never both spend the last token.
// When Redis cannot be reached the take is allowed (fail open, as ToolHive's limiter does: an
// outage of the limiter must not become an outage of the gateway) and `onFailOpen` is told, so
// the operator sees it as a warning and a metric.
import type { Redis } from 'ioredis';
import type { BucketDecision, BucketRule, BucketStore } from './buckets.js';

/** KEYS: bucket. ARGV: maxTokens, refillPeriodMs, now. Returns {allowed, remaining, retryAfterMs}. */
const TAKE = `
local max = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(b[1]) or max
local ts = tonumber(b[2]) or now
local rate = max / period
tokens = math.min(max, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(period * 2))
return {allowed, tostring(tokens), retry}`;

export interface RedisBucketStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Called on each take that was allowed because Redis could not be asked. */
  readonly onFailOpen?: (error: Error) => void;
}

type Take = (keys: number, ...args: (string | number)[]) => Promise<[number, string, number]>;

export class RedisBucketStore implements BucketStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #onFailOpen: (error: Error) => void;
  readonly #take: Take;

  constructor(opts: RedisBucketStoreOptions) {
    this.#redis = opts.redis;
    this.#prefix = `${opts.keyPrefix}bucket:`;
    this.#onFailOpen = opts.onFailOpen ?? (() => undefined);
    this.#redis.defineCommand('vmcpBucketTake', { lua: TAKE });
    const r = this.#redis as unknown as Record<string, Take>;
    this.#take = (...a) => r['vmcpBucketTake']!.call(this.#redis, ...a);
  }

  async take(key: string, rule: BucketRule, now: number): Promise<BucketDecision> {
    try {
      const [allowed, remaining, retry] = await this.#take(1, this.#prefix + key, rule.maxTokens, rule.refillPeriodMs, Math.floor(now));
      return { allowed: allowed === 1, remaining: allowed === 1 ? Math.floor(Number(remaining)) : 0, retryAfterMs: Number(retry) };
    } catch (err) {
      this.#onFailOpen(err instanceof Error ? err : new Error(String(err)));
      return { allowed: true, remaining: rule.maxTokens, retryAfterMs: 0 };
    }
  }

  /** The connection belongs to whoever opened it (it is shared with the session store). */
  async close(): Promise<void> {}
}
