// Where the buckets live: in memory for one replica, in Redis when sessions are (sessionStorage
// provider redis), so every replica behind a load balancer spends from one budget. The Redis store
// is atomic per take (a Lua script) and fails open, as ToolHive does: an unreachable Redis must not
// take the gateway's tools away; each such take is counted as an `error` decision and warned about
// (at most once every 10 s).
import type { RuntimeConfig } from '../../config/types.js';
import { channels, publish, type RateLimitEvent, type WarningEvent } from '../../observability/channels.js';
import type { BucketStore } from '../../state/buckets.js';
import { InMemoryBucketStore } from '../../state/memory-buckets.js';
import { RedisBucketStore } from '../../state/redis-buckets.js';
import { connectRedis } from '../../state/redis-connection.js';
import { redisEndpoint } from '../session-storage.js';

const WARN_EVERY_MS = 10_000;

export function bucketStoreFor(config: RuntimeConfig, maxBuckets: number): BucketStore {
  const redis = config.sessionStorage.redis;
  if (config.sessionStorage.provider !== 'redis' || !redis) return new InMemoryBucketStore({ maxBuckets });
  const connection = connectRedis(redisEndpoint(redis), 'vmcp-rate-limit');
  let lastWarning = 0;
  const store = new RedisBucketStore({
    redis: connection,
    keyPrefix: redis.keyPrefix,
    onFailOpen: (err) => {
      publish<RateLimitEvent>(channels.rateLimit, { decision: 'error', scope: 'store', backend: '', tool: '' });
      if (Date.now() - lastWarning < WARN_EVERY_MS) return;
      lastWarning = Date.now();
      const message = `rate limits fail open: the bucket store (Redis ${redis.host}:${redis.port}) is unreachable: ${err.message}`;
      publish<WarningEvent>(channels.warning, { source: 'rateLimiting', message });
    },
  });
  return {
    take: (key, rule, now) => store.take(key, rule, now),
    close: async () => {
      await store.close();
      connection.disconnect();
    },
  };
}
