// Small, pure statistics helpers for the benchmark (unit-tested in test/unit/bench-stats.test.ts).
// Percentiles use the nearest-rank method (no interpolation): the value reported is always a
// latency that was actually measured, and p100 is the maximum.

/** Nearest-rank percentile of an ascending-sorted array; `p` in [0, 100]. NaN for an empty array. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Nearest-rank percentile of unsorted samples (the input is not modified). */
export function percentile(samples: readonly number[], p: number): number {
  return percentileSorted(
    [...samples].sort((a, b) => a - b),
    p,
  );
}

/** The median: the middle value, or the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  const values = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) return Number.NaN;
  const mid = values.length >> 1;
  if (values.length % 2 === 1) return values[mid] as number;
  return ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Summary of latency samples in milliseconds. */
export function summarize(samples: readonly number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: percentileSorted(s, 50),
    p90: percentileSorted(s, 90),
    p99: percentileSorted(s, 99),
    min: s.length ? (s[0] as number) : Number.NaN,
    max: s.length ? (s[s.length - 1] as number) : Number.NaN,
    mean: mean(s),
  };
}

/** Calls per second for `count` calls that took `wallMs` in total. */
export function throughput(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : Number.NaN;
}

/** Round to `digits` decimals for reports (keeps NaN as null-friendly NaN). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Median of each numeric field across rounds: `[{a:1},{a:3}]` -> `{a:2}`. */
export function medianOf<K extends string>(rows: ReadonlyArray<Readonly<Record<K, number>>>): Record<K, number> {
  const out = {} as Record<K, number>;
  const first = rows[0];
  if (!first) return out;
  for (const key of Object.keys(first) as K[]) out[key] = median(rows.map((r) => r[key]));
  return out;
}
