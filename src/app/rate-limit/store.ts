// Where the buckets live: in memory for one replica, in Redis when sessions are (sessionStorage
// provider redis, on the gateway's shared connection), so every replica behind a load balancer
// spends from one budget. The Redis store takes all of a call's buckets in one atomic Lua script
// and fails open, as ToolHive does: an unreachable Redis must not take the gateway's tools away;
// each such take is counted as an `error` decision and warned about (at most once every 10 s).
import type { Redis } from 'ioredis';
import type { RuntimeConfig } from '../../config/types.js';
import { channels, publish, type RateLimitEvent, type WarningEvent } from '../../observability/channels.js';
import type { BucketStore } from '../../state/buckets.js';
import { InMemoryBucketStore } from '../../state/memory-buckets.js';
import { RedisBucketStore } from '../../state/redis-buckets.js';

const WARN_EVERY_MS = 10_000;

/** `redis`: the gateway's shared connection (session-storage.ts openSharedRedis); without it, memory. */
export function bucketStoreFor(config: RuntimeConfig, maxBuckets: number, redis?: Redis): BucketStore {
  const storage = config.sessionStorage.redis;
  if (!redis || !storage) return new InMemoryBucketStore({ maxBuckets });
  let lastWarning = 0;
  return new RedisBucketStore({
    redis,
    keyPrefix: storage.keyPrefix,
    onFailOpen: (err) => {
      publish<RateLimitEvent>(channels.rateLimit, { decision: 'error', scope: 'store', backend: '', tool: '' });
      if (Date.now() - lastWarning < WARN_EVERY_MS) return;
      lastWarning = Date.now();
      const message = `rate limits fail open: the bucket store (Redis ${storage.host}:${storage.port}) is unreachable: ${err.message}`;
      publish<WarningEvent>(channels.warning, { source: 'rateLimiting', message });
    },
  });
}
