// `rateLimiting:` — ToolHive's token-bucket keys (pkg/ratelimit/types RateLimitConfig): a bucket
// holds up to maxTokens and refills completely once per refillPeriod. `shared` is one bucket for
// every caller, `perUser` one per authenticated principal, `tools[]` adds buckets for one tool; a
// tools/call must pass every bucket that applies. Lists and discovery are never metered.
import { z } from 'zod';
import { MAX_TIMER_MS, parseDuration, tryParseDuration } from './duration.js';
import { duration } from './schema-common.js';
import type { BucketConfig, RateLimitConfig } from './types-meter.js';

export const RATE_LIMIT_DEFAULTS = Object.freeze({
  /** In-memory buckets at once; each is a few dozen bytes, so this bounds memory at a few MB. */
  maxBuckets: 100_000,
} as const);

const bucket = z
  .strictObject({
    maxTokens: z.number().int().min(1).max(1_000_000_000).describe('Bucket capacity: calls allowed in a burst.'),
    refillPeriod: duration
      .refine((d) => {
        const ms = tryParseDuration(d);
        return ms === undefined || (ms > 0 && ms <= MAX_TIMER_MS);
      }, 'must be longer than 0 and at most 24 days')
      .describe('How long an empty bucket takes to refill completely (continuously), e.g. "1m".'),
  })
  .describe('A token bucket: maxTokens calls, refilled over refillPeriod.');

const toolLimit = z
  .strictObject({
    name: z.string().min(1).describe('The tool, by the name tools/list advertises.'),
    shared: bucket.optional().describe("One bucket for every caller of this tool (on top of the server's)."),
    perUser: bucket.optional().describe('One bucket per authenticated principal for this tool (needs incomingAuth).'),
  })
  .refine((t) => t.shared !== undefined || t.perUser !== undefined, 'needs shared or perUser');

export const rateLimitSchema = z
  .strictObject({
    shared: bucket.optional().describe('One bucket for all tools/call requests of all callers.'),
    perUser: bucket.optional().describe('One bucket per authenticated principal for all its tools/call requests (needs incomingAuth).'),
    tools: z.array(toolLimit).optional().describe('Extra buckets for single tools; a call must pass these and the server-level ones.'),
    maxBuckets: z
      .number()
      .int()
      .min(100)
      .max(100_000_000)
      .optional()
      .describe('Buckets kept in memory at once (default 100000); beyond it the least recently used bucket is dropped.'),
  })
  .refine(
    (r) => r.shared !== undefined || r.perUser !== undefined || (r.tools?.length ?? 0) > 0,
    'at least one of shared, perUser or tools must be configured',
  )
  .describe('Token-bucket rate limits on tools/call (ToolHive keys).');

export type UserRateLimit = z.infer<typeof rateLimitSchema>;

export function normalizeRateLimit(user: UserRateLimit | undefined): RateLimitConfig | undefined {
  if (user === undefined) return undefined;
  return {
    ...bucketOf('shared', user.shared),
    ...bucketOf('perUser', user.perUser),
    tools: (user.tools ?? []).map((t) => ({ name: t.name, ...bucketOf('shared', t.shared), ...bucketOf('perUser', t.perUser) })),
    maxBuckets: user.maxBuckets ?? RATE_LIMIT_DEFAULTS.maxBuckets,
  };
}

function bucketOf<K extends string>(key: K, b: { maxTokens: number; refillPeriod: string } | undefined): Partial<Record<K, BucketConfig>> {
  if (b === undefined) return {};
  return { [key]: { maxTokens: b.maxTokens, refillPeriodMs: parseDuration(b.refillPeriod) } } as Partial<Record<K, BucketConfig>>;
}
