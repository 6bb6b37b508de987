// The knobs of BM25F ranking (bm25.ts) and their defaults, tuned on the tool-search benchmark.
import type { Field } from './analyze.js';
import type { Expansion } from './synonyms.js';

export interface RankingOptions {
  /** Term-frequency saturation. */
  readonly k1: number;
  readonly weights: Readonly<Record<Field, number>>;
  /** Length normalisation per field (0 = none, 1 = full). */
  readonly b: Readonly<Record<Field, number>>;
  readonly expansion: Expansion;
  /**
   * Coordination (Lucene's classic `coord`): the score is multiplied by the share of the query's
   * IDF-weighted terms the tool matches, to this power (0 = off). BM25 alone lets a tool that
   * matches two frequent words many times beat one that matches every word of the request once.
   */
  readonly coordination: number;
  /**
   * A request that names a server ("…on GitHub", "using Puppeteer") means that server's tools:
   * tools whose name starts with a word of the request score × (1 + this). Only for a word that
   * starts at most MAX_LEAD_SHARE of the names, so with unprefixed names a verb ("get_…") is no server.
   */
  readonly serverHint: number;
  /**
   * A name says what a tool does in a few words; a tool whose name the request explains entirely
   * (`cancel_subscription` for "stop a recurring plan") beats one that shares a word or two:
   * scores × (1 + this × share of the name's terms the request matched).
   */
  readonly nameCoverage: number;
}

export const MAX_LEAD_SHARE = 0.25;

export const DEFAULT_RANKING: RankingOptions = {
  k1: 1.2,
  weights: { name: 3, title: 1, description: 1, params: 0.5 },
  b: { name: 0.5, title: 0.5, description: 0.75, params: 0.75 },
  expansion: 'synonyms',
  coordination: 1,
  serverHint: 0.3,
  nameCoverage: 1,
};
