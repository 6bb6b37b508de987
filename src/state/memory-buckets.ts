// Token buckets in memory (one replica). A bucket refills continuously at maxTokens per
// refillPeriodMs; one that has refilled completely is the same as one never seen, so entries idle
// for a whole refill period are dropped, and at most `maxBuckets` are kept (the least recently
// used goes first: for that caller it is as if the bucket had refilled).
import type { BucketDecision, BucketRule, BucketTake, MultiBucketDecision, MultiBucketStore } from './buckets.js';

interface Bucket {
  tokens: number;
  at: number;
  refillPeriodMs: number;
}

export const DEFAULT_MAX_BUCKETS = 100_000;

export class InMemoryBucketStore implements MultiBucketStore {
  /** Insertion order = recency (a touched bucket is re-inserted). */
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxBuckets: number;
  #sweptAt = 0;

  constructor(opts: { maxBuckets?: number } = {}) {
    this.#maxBuckets = opts.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  }

  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, rule: BucketRule, now: number): Promise<BucketDecision> {
    return this.takeAll([{ key, rule }], now);
  }

  /** Synchronous inside, so two takes can never interleave: atomic for this replica. */
  takeAll(takes: readonly BucketTake[], now: number): Promise<MultiBucketDecision> {
    const levels = takes.map((t) => this.#level(t.key, t.rule, now));
    const rejected = levels.findIndex((l) => l < 1);
    if (rejected >= 0) {
      const rule = takes[rejected]!.rule;
      const missing = 1 - levels[rejected]!;
      return Promise.resolve({
        allowed: false,
        remaining: 0,
        retryAfterMs: Math.ceil((missing * rule.refillPeriodMs) / rule.maxTokens),
        rejected,
      });
    }
    takes.forEach((t, i) => this.#store(t.key, { tokens: levels[i]! - 1, at: now, refillPeriodMs: t.rule.refillPeriodMs }));
    this.#sweep(now);
    return Promise.resolve({ allowed: true, remaining: Math.floor(Math.min(...levels, Infinity) - 1), retryAfterMs: 0 });
  }

  close(): Promise<void> {
    this.#buckets.clear();
    return Promise.resolve();
  }

  /** Tokens in the bucket now (refilled since its last take). */
  #level(key: string, rule: BucketRule, now: number): number {
    const b = this.#buckets.get(key);
    if (!b) return rule.maxTokens;
    const elapsed = Math.max(0, now - b.at);
    return Math.min(rule.maxTokens, b.tokens + (elapsed * rule.maxTokens) / rule.refillPeriodMs);
  }

  #store(key: string, bucket: Bucket): void {
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    for (const oldest of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxBuckets) break;
      this.#buckets.delete(oldest);
    }
  }

  /** Drop buckets idle for a whole refill period (full again), at most once a second. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < 1000) return;
    this.#sweptAt = now;
    for (const [key, b] of this.#buckets) if (now - b.at >= b.refillPeriodMs) this.#buckets.delete(key);
  }
}
