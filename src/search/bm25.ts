// BM25F ranking (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
// 2009, §3.5): per-field term frequencies are length-normalised and weighted, summed, and only then
// saturated, so a word in a tool's name counts more than the same word in its description without
// letting a long description win by repetition. Several indexes are ranked with their combined
// corpus statistics (N, df, average field lengths): the result is exactly that of one index over
// the union, which is what lets a shared catalog index and a small per-user index be searched
// together, with an `allow` filter so no hidden tool is ever scored, let alone returned.
import { FIELD_COUNT, FIELDS, type Field } from './analyze.js';
import { queryPlan, type QueryPlan, type QueryText } from './query.js';
import type { Expansion } from './synonyms.js';
import type { Posting, ToolIndex } from './tool-index.js';

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

export interface SearchRequest extends QueryText {
  readonly limit: number;
  /** Only tools this returns true for are scored (authorization: what the caller may list). */
  readonly allow?: (name: string) => boolean;
}

export interface SearchHit {
  readonly name: string;
  readonly score: number;
}

interface Shard {
  readonly index: ToolIndex;
  /** Per document: 0 not yet asked, 1 allowed, 2 hidden. */
  readonly allowed: Uint8Array;
  readonly scores: Float64Array;
  /** Documents with a score, in first-touched order. */
  readonly touched: number[];
  /** Per document: occurrences of query terms in its name. */
  readonly named: Float64Array;
  /** Per document: which of the request's concepts (bits 0-31, 32-63) it matched. */
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

/** Rank the tools of several indexes as one corpus; names are unique in the result (first index wins a tie). */
export function searchMany(indexes: readonly ToolIndex[], request: SearchRequest, ranking: RankingOptions = DEFAULT_RANKING): SearchHit[] {
  const limit = Math.max(0, Math.floor(request.limit));
  const query = queryPlan(request, ranking.expansion);
  if (limit === 0 || query.weights.size === 0) return [];
  const n = indexes.reduce((sum, index) => sum + index.size, 0);
  if (n === 0) return [];
  const avg = FIELDS.map((_, f) => Math.max(indexes.reduce((sum, index) => sum + index.lengthTotal(f), 0) / n, 1));
  const shards: Shard[] = indexes.map((index) => ({
    index,
    allowed: new Uint8Array(index.size),
    scores: new Float64Array(index.size),
    touched: [],
    named: new Float64Array(index.size),
    lo: new Uint32Array(index.size),
    hi: new Uint32Array(index.size),
  }));
  const idfs = new Map<string, number>();
  const masks = conceptMasks(query);
  for (const [term, weight] of query.weights) {
    const postings = indexes.map((index) => index.postings(term));
    const df = postings.reduce((sum, p) => sum + (p?.docs.length ?? 0), 0);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    idfs.set(term, idf);
    if (df === 0) continue;
    const scored = { weight: weight * idf, mask: masks.get(term) ?? NO_CONCEPTS };
    postings.forEach((posting, s) => {
      if (posting !== undefined) accumulate(shards[s]!, posting, scored, avg, ranking, request.allow);
    });
  }
  if (ranking.coordination > 0) coordinate(shards, query, idfs, ranking.coordination);
  if (ranking.serverHint > 0) hint(shards, query, n, ranking.serverHint);
  if (ranking.nameCoverage > 0) coverName(shards, ranking.nameCoverage);
  return top(shards, limit);
}

function accumulate(
  shard: Shard,
  posting: Posting,
  term: { readonly weight: number; readonly mask: readonly [number, number] },
  avg: readonly number[],
  ranking: RankingOptions,
  allow: SearchRequest['allow'],
): void {
  const { index, allowed, scores, touched } = shard;
  for (let i = 0; i < posting.docs.length; i++) {
    const doc = posting.docs[i]!;
    if (allowed[doc] === 0) allowed[doc] = allow === undefined || allow(index.docName(doc)) ? 1 : 2;
    if (allowed[doc] === 2) continue;
    const tf = fieldTf(index, doc, index.docTf(doc), posting.slots[i]! * FIELD_COUNT, avg, ranking);
    if (scores[doc] === 0) touched.push(doc);
    shard.named[doc]! += index.docTf(doc)[posting.slots[i]! * FIELD_COUNT]!;
    shard.lo[doc]! |= term.mask[0];
    shard.hi[doc]! |= term.mask[1];
    scores[doc]! += (term.weight * tf) / (ranking.k1 + tf);
  }
}

const NO_CONCEPTS: readonly [number, number] = [0, 0];

/** Per term: the concepts it satisfies, as bits (a plan has at most MAX_QUERY_TERMS = 64 concepts). */
function conceptMasks(query: QueryPlan): Map<string, [number, number]> {
  const masks = new Map<string, [number, number]>();
  query.concepts.forEach((concept, c) => {
    for (const term of concept.members) {
      const mask = masks.get(term) ?? [0, 0];
      if (c < 32) mask[0] = (mask[0] | (1 << c)) >>> 0;
      else mask[1] = (mask[1] | (1 << (c - 32))) >>> 0;
      masks.set(term, mask);
    }
  });
  return masks;
}

/** Scores × (share of the request's words, IDF-weighted, a tool matches by itself or a synonym)^power. */
function coordinate(shards: readonly Shard[], query: QueryPlan, idfs: ReadonlyMap<string, number>, power: number): void {
  const weights = query.concepts.map((concept) => concept.weight * (idfs.get(concept.head) ?? 0));
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0) return;
  for (const shard of shards) {
    for (const doc of shard.touched) {
      const matched = bitsWeight(shard.lo[doc]!, weights, 0) + bitsWeight(shard.hi[doc]!, weights, 32);
      shard.scores[doc]! *= Math.pow(matched / total, power);
    }
  }
}

function bitsWeight(bits: number, weights: readonly number[], offset: number): number {
  let sum = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) sum += weights[offset + 31 - Math.clz32(rest & -rest)] ?? 0;
  return sum;
}

function fieldTf(index: ToolIndex, doc: number, tf: Uint16Array, at: number, avg: readonly number[], r: RankingOptions): number {
  let sum = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const count = tf[at + f]!;
    if (count === 0) continue;
    const field = FIELDS[f]!;
    const b = r.b[field];
    sum += (r.weights[field] * count) / (1 - b + (b * index.docLength(doc, f)) / avg[f]!);
  }
  return sum;
}

function coverName(shards: readonly Shard[], weight: number): void {
  for (const shard of shards) {
    for (const doc of shard.touched) {
      const length = shard.index.docLength(doc, 0);
      if (length > 0) shard.scores[doc]! *= 1 + weight * Math.min(1, shard.named[doc]! / length);
    }
  }
}

function hint(shards: readonly Shard[], query: QueryPlan, n: number, boost: number): void {
  for (const concept of query.concepts) {
    if (concept.weight < 1) continue;
    const led = shards.map((s) => s.index.leading(concept.head));
    const count = led.reduce((sum, docs) => sum + (docs?.length ?? 0), 0);
    if (count === 0 || count > n * MAX_LEAD_SHARE) continue;
    shards.forEach((shard, s) => {
      for (const doc of led[s] ?? []) shard.scores[doc]! *= 1 + boost;
    });
  }
}

interface Ranked {
  readonly name: string;
  readonly score: number;
  readonly shard: number;
}

const before = (a: Ranked, b: Ranked): boolean =>
  a.score !== b.score ? a.score > b.score : a.shard !== b.shard ? a.shard < b.shard : a.name < b.name;

/**
 * The best `limit` distinct names. Only a short list is kept sorted (insertion into at most
 * limit × shards entries: a name can repeat once per shard), not every candidate.
 */
function top(shards: readonly Shard[], limit: number): SearchHit[] {
  const keep = limit * shards.length;
  const best: Ranked[] = [];
  shards.forEach((shard, s) => {
    for (const doc of shard.touched) {
      const score = shard.scores[doc]!;
      const last = best[best.length - 1];
      if (best.length === keep && last !== undefined && score < last.score) continue;
      const hit = { name: shard.index.docName(doc), score, shard: s };
      let at = best.length;
      while (at > 0 && before(hit, best[at - 1]!)) at--;
      best.splice(at, 0, hit);
      if (best.length > keep) best.pop();
    }
  });
  const out: SearchHit[] = [];
  const seen = new Set<string>();
  for (const hit of best) {
    if (seen.has(hit.name)) continue;
    seen.add(hit.name);
    out.push({ name: hit.name, score: hit.score });
    if (out.length === limit) break;
  }
  return out;
}
