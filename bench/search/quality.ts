// Retrieval quality of a ranking over the benchmark tasks: recall@1, recall@5 and MRR (rank of
// the first expected tool, counted to rank 10). Reported on all tasks and on two halves (even and
// odd positions), so a parameter tuned on one half can be checked on the other.
import type { Task } from './tasks.js';

export type Ranker = (query: string) => Promise<readonly string[]>;

export interface Quality {
  readonly tasks: number;
  readonly recall_at_1: number;
  readonly recall_at_5: number;
  readonly mrr: number;
}

export interface QualityReport {
  readonly all: Quality;
  readonly even: Quality;
  readonly odd: Quality;
  /** Tasks whose expected tool was not first: for reading, not for tuning queries. */
  readonly misses: readonly { query: string; expected: string; rank: number | null; got: readonly string[] }[];
}

export async function measureQuality(tasks: readonly Task[], rank: Ranker): Promise<QualityReport> {
  const ranks: (number | null)[] = [];
  const misses: QualityReport['misses'][number][] = [];
  for (const task of tasks) {
    const names = await rank(task.query);
    const expected = new Set([task.expect].flat());
    const at = names.slice(0, 10).findIndex((n) => expected.has(n));
    ranks.push(at < 0 ? null : at + 1);
    if (at !== 0)
      misses.push({ query: task.query, expected: [...expected].join(' | '), rank: at < 0 ? null : at + 1, got: names.slice(0, 3) });
  }
  return {
    all: summarize(ranks),
    even: summarize(ranks.filter((_, i) => i % 2 === 0)),
    odd: summarize(ranks.filter((_, i) => i % 2 === 1)),
    misses,
  };
}

function summarize(ranks: readonly (number | null)[]): Quality {
  const n = ranks.length;
  const share = (ok: (r: number) => boolean): number => round(ranks.filter((r) => r !== null && ok(r)).length / n);
  return {
    tasks: n,
    recall_at_1: share((r) => r === 1),
    recall_at_5: share((r) => r <= 5),
    mrr: round(ranks.reduce((s: number, r) => s + (r === null ? 0 : 1 / r), 0) / n),
  };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
