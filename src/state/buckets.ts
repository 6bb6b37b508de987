// Rate-limit token buckets behind a small store interface: in memory for one replica, shared (and
// atomic) when several replicas must hold one budget. A bucket holds up to `maxTokens` and refills
// continuously, completely once per `refillPeriodMs` (ToolHive's rateLimiting semantics).

export interface BucketRule {
  readonly maxTokens: number;
  readonly refillPeriodMs: number;
}

export interface BucketDecision {
  readonly allowed: boolean;
  /** Tokens left after this take (0 when refused). */
  readonly remaining: number;
  /** When refused: how long until one token is back. */
  readonly retryAfterMs: number;
}

export interface BucketStore {
  /** Take one token from bucket `key`, atomically; a bucket never seen starts full. */
  take(key: string, rule: BucketRule, now: number): Promise<BucketDecision>;
  close(): Promise<void>;
}

export interface BucketTake {
  readonly key: string;
  readonly rule: BucketRule;
}

/** takeAll's answer: `rejected` is the index of the first bucket that refused (nothing was taken then). */
export interface MultiBucketDecision extends BucketDecision {
  readonly rejected?: number;
}

/**
 * A store that can take one token from several buckets at once, all or nothing, so a refusal by a
 * per-tool bucket does not drain the server's (ToolHive's ConsumeAll, one Lua script in Redis).
 */
export interface MultiBucketStore extends BucketStore {
  takeAll(takes: readonly BucketTake[], now: number): Promise<MultiBucketDecision>;
}

/** All-or-nothing when the store can; otherwise bucket by bucket (an earlier bucket keeps its take). */
export async function takeAll(store: BucketStore, takes: readonly BucketTake[], now: number): Promise<MultiBucketDecision> {
  if ('takeAll' in store && typeof store.takeAll === 'function') return (store as MultiBucketStore).takeAll(takes, now);
  let remaining = Infinity;
  for (const [i, t] of takes.entries()) {
    const d = await store.take(t.key, t.rule, now);
    if (!d.allowed) return { ...d, rejected: i };
    remaining = Math.min(remaining, d.remaining);
  }
  return { allowed: true, remaining: takes.length === 0 ? 0 : remaining, retryAfterMs: 0 };
}
