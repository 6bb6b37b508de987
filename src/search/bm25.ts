// BM25F ranking (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
// 2009, §3.5): per-field term frequencies are length-normalised and weighted, summed, and only then
// saturated, so a word in a tool's name counts more than the same word in its description without
// letting a long description win by repetition. Several indexes are ranked with their combined
// corpus statistics (N, df, average field lengths): the result is exactly that of one index over
// the union, which is what lets a shared catalog index and a small per-user index be searched
// together, with an `allow` filter so no hidden tool is ever scored, let alone returned.
import { FIELD_COUNT, FIELDS } from './analyze.js';
import { queryPlan, type QueryPlan, type QueryText } from './query.js';
import { DEFAULT_RANKING, MAX_LEAD_SHARE, type RankingOptions } from './ranking-options.js';
import type { ToolIndex } from './tool-index.js';

export interface SearchRequest extends QueryText {
  readonly limit: number;
  /** Only tools this returns true for are scored (authorization: what the caller may list). */
  readonly allow?: (name: string) => boolean;
}

export interface SearchHit {
  readonly name: string;
  readonly score: number;
}

/**
 * Per-search working memory, reused by every search (searches are synchronous): one slot per
 * document of all searched indexes together (shard s's document d is slot base[s] + d). A slot's
 * entries are valid only where `seen` holds the current search's number, so nothing is cleared.
 */
class Scratch {
  seen = new Int32Array(0);
  /** 1: the caller may not see the document. */
  hidden = new Uint8Array(0);
  scores = new Float64Array(0);
  /** Occurrences of query terms in the document's name. */
  named = new Float64Array(0);
  /** Which of the request's concepts (bits 0-31, 32-63) the document matched. */
  lo = new Uint32Array(0);
  hi = new Uint32Array(0);
  /** Slots with a score, in first-touched order. */
  touched = new Int32Array(0);
  touchedCount = 0;
  search = 0;
  busy = false;

  begin(slots: number): void {
    if (slots > this.seen.length) {
      const n = Math.max(slots, this.seen.length * 2, 1024);
      this.seen = new Int32Array(n);
      this.hidden = new Uint8Array(n);
      this.scores = new Float64Array(n);
      this.named = new Float64Array(n);
      this.lo = new Uint32Array(n);
      this.hi = new Uint32Array(n);
      this.touched = new Int32Array(n);
      this.search = 0;
    }
    if (++this.search === 0x7fffffff) {
      this.seen.fill(0);
      this.search = 1;
    }
    this.touchedCount = 0;
  }

  /** Whether a slot takes part in this search (touched and allowed). */
  scored(slot: number): boolean {
    return this.seen[slot] === this.search && this.hidden[slot] === 0;
  }
}

const shared = new Scratch();

interface Shard {
  readonly index: ToolIndex;
  /** Its first slot in the scratch arrays. */
  readonly base: number;
  /** Per document and field: weight / length normalisation, for the corpus being searched. */
  readonly norms: Float64Array;
}

/** Rank the tools of several indexes as one corpus; names are unique in the result (first index wins a tie). */
export function searchMany(indexes: readonly ToolIndex[], request: SearchRequest, ranking: RankingOptions = DEFAULT_RANKING): SearchHit[] {
  const limit = Math.max(0, Math.floor(request.limit));
  const query = queryPlan(request, ranking.expansion);
  if (limit === 0 || query.weights.size === 0) return [];
  const n = indexes.reduce((sum, index) => sum + index.size, 0);
  if (n === 0) return [];
  const avg = FIELDS.map((_, f) => Math.max(indexes.reduce((sum, index) => sum + index.lengthTotal(f), 0) / n, 1));
  let base = 0;
  const shards: Shard[] = indexes.map((index) => {
    const shard = { index, base, norms: norms(index, avg, ranking) };
    base += index.slots;
    return shard;
  });
  // An `allow` that searches again (it should not) gets working memory of its own.
  const scratch = shared.busy ? new Scratch() : shared;
  scratch.busy = true;
  try {
    scratch.begin(base);
    const idfs = new Map<string, number>();
    const masks = conceptMasks(query);
    for (const [term, weight] of query.weights) {
      const postings = indexes.map((index) => index.postings(term));
      const df = postings.reduce((sum, p) => sum + p.df, 0);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      idfs.set(term, idf);
      if (df === 0) continue;
      const mask = masks.get(term) ?? NO_CONCEPTS;
      postings.forEach((posting, s) => {
        if (posting.df > 0) accumulate(scratch, shards[s]!, posting, weight * idf, mask, ranking.k1, request.allow);
      });
    }
    if (ranking.coordination > 0) coordinate(scratch, query, idfs, ranking.coordination);
    if (ranking.serverHint > 0) hint(scratch, shards, query, n, ranking.serverHint);
    if (ranking.nameCoverage > 0) coverName(scratch, shards, ranking.nameCoverage);
    return top(scratch, shards, limit);
  } finally {
    scratch.busy = false;
  }
}

function accumulate(
  scratch: Scratch,
  shard: Shard,
  posting: { readonly from: number; readonly to: number },
  weight: number,
  mask: readonly [number, number],
  k1: number,
  allow: SearchRequest['allow'],
): void {
  const { index, base, norms } = shard;
  const { seen, hidden, scores, named, lo, hi, touched } = scratch;
  const docs = index.postingDocs;
  const tfs = index.postingTf;
  const member = index.member;
  const search = scratch.search;
  for (let i = posting.from; i < posting.to; i++) {
    const doc = docs[i]!;
    // A subset's postings are its core's: documents outside it are not there at all.
    if (member !== undefined && member[doc] === 0) continue;
    const slot = base + doc;
    if (seen[slot] !== search) {
      seen[slot] = search;
      if (allow !== undefined && !allow(index.docName(doc))) {
        hidden[slot] = 1;
        continue;
      }
      hidden[slot] = 0;
      scores[slot] = 0;
      named[slot] = 0;
      lo[slot] = 0;
      hi[slot] = 0;
      touched[scratch.touchedCount++] = slot;
    } else if (hidden[slot] === 1) continue;
    const at = i * FIELD_COUNT;
    const d = doc * FIELD_COUNT;
    const tf = tfs[at]! * norms[d]! + tfs[at + 1]! * norms[d + 1]! + tfs[at + 2]! * norms[d + 2]! + tfs[at + 3]! * norms[d + 3]!;
    named[slot]! += tfs[at]!;
    lo[slot]! |= mask[0];
    hi[slot]! |= mask[1];
    scores[slot]! += (weight * tf) / (k1 + tf);
  }
}

// The last normalisation table of each index, and what it was computed for.
const normCache = new WeakMap<ToolIndex, { readonly key: readonly number[]; readonly norms: Float64Array }>();

/** Per document and field: weight_f / (1 − b_f + b_f × length / average length), reused while the corpus is the same. */
function norms(index: ToolIndex, avg: readonly number[], r: RankingOptions): Float64Array {
  const key = FIELDS.flatMap((field, f) => [avg[f]!, r.b[field], r.weights[field]]);
  const known = normCache.get(index);
  if (known !== undefined && known.key.every((v, i) => v === key[i])) return known.norms;
  const lengths = index.docLengths;
  const out = new Float64Array(lengths.length);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const field = FIELDS[f]!;
    const b = r.b[field];
    const w = r.weights[field];
    for (let at = f; at < lengths.length; at += FIELD_COUNT) out[at] = w / (1 - b + (b * lengths[at]!) / avg[f]!);
  }
  normCache.set(index, { key, norms: out });
  return out;
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
function coordinate(scratch: Scratch, query: QueryPlan, idfs: ReadonlyMap<string, number>, power: number): void {
  const weights = query.concepts.map((concept) => concept.weight * (idfs.get(concept.head) ?? 0));
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0) return;
  const { touched, scores, lo, hi } = scratch;
  for (let i = 0; i < scratch.touchedCount; i++) {
    const slot = touched[i]!;
    const matched = bitsWeight(lo[slot]!, weights, 0) + bitsWeight(hi[slot]!, weights, 32);
    scores[slot]! *= Math.pow(matched / total, power);
  }
}

function bitsWeight(bits: number, weights: readonly number[], offset: number): number {
  let sum = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) sum += weights[offset + 31 - Math.clz32(rest & -rest)] ?? 0;
  return sum;
}

/** The shard a slot belongs to. */
function shardOf(shards: readonly Shard[], slot: number): number {
  let s = shards.length - 1;
  while (s > 0 && shards[s]!.base > slot) s--;
  return s;
}

function coverName(scratch: Scratch, shards: readonly Shard[], weight: number): void {
  const { touched, scores, named } = scratch;
  for (let i = 0; i < scratch.touchedCount; i++) {
    const slot = touched[i]!;
    const shard = shards[shardOf(shards, slot)]!;
    const length = shard.index.docLengths[(slot - shard.base) * FIELD_COUNT]!;
    if (length > 0) scores[slot]! *= 1 + weight * Math.min(1, named[slot]! / length);
  }
}

function members(index: ToolIndex, docs: Int32Array): number {
  const member = index.member;
  if (member === undefined) return docs.length;
  let count = 0;
  for (const doc of docs) count += member[doc]!;
  return count;
}

function hint(scratch: Scratch, shards: readonly Shard[], query: QueryPlan, n: number, boost: number): void {
  for (const concept of query.concepts) {
    if (concept.weight < 1) continue;
    const led = shards.map((s) => s.index.leading(concept.head));
    const count = shards.reduce((sum, s, i) => sum + members(s.index, led[i]!), 0);
    if (count === 0 || count > n * MAX_LEAD_SHARE) continue;
    shards.forEach((shard, s) => {
      for (const doc of led[s]!) if (scratch.scored(shard.base + doc)) scratch.scores[shard.base + doc]! *= 1 + boost;
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
function top(scratch: Scratch, shards: readonly Shard[], limit: number): SearchHit[] {
  const keep = limit * shards.length;
  const best: Ranked[] = [];
  const { touched, scores } = scratch;
  for (let i = 0; i < scratch.touchedCount; i++) {
    const slot = touched[i]!;
    const score = scores[slot]!;
    const last = best[best.length - 1];
    if (best.length === keep && last !== undefined && score < last.score) continue;
    const s = shardOf(shards, slot);
    const shard = shards[s]!;
    const hit = { name: shard.index.docName(slot - shard.base), score, shard: s };
    let at = best.length;
    while (at > 0 && before(hit, best[at - 1]!)) at--;
    if (at >= keep) continue;
    best.splice(at, 0, hit);
    if (best.length > keep) best.pop();
  }
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
