// `rateLimiting:` as a feature: the rate-limit middleware in the beforeBackend slot (after
// authorization, so a denied call spends no token; before the circuit gate, so a refusal never
// counts against a backend), over the bucket store of store.ts (in memory, or Redis with sessions).
import { rateLimit } from '../../routing/middleware/rate-limit.js';
import type { BucketStore } from '../../state/buckets.js';
import { systemClock } from '../../state/clock.js';
import type { Feature, FeatureDeps } from '../features.js';
import { bucketStoreFor } from './store.js';

export function rateLimitFeature(deps: FeatureDeps, store?: BucketStore): Feature | undefined {
  const config = deps.config.rateLimiting;
  if (!config) return undefined;
  const buckets = store ?? bucketStoreFor(deps.config, config.maxBuckets, deps.redis);
  return {
    name: 'rateLimiting',
    beforeBackend: [rateLimit({ config, store: buckets, clock: systemClock })],
    close: () => buckets.close(),
  };
}
