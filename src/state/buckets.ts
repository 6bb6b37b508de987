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
