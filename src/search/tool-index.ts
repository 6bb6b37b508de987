// An immutable keyword index over a set of tool definitions (one per catalog snapshot, or one per
// user for per-user backends). `update()` returns a new index and re-analyzes only what changed, so
// a backend's list_changed costs that backend's tools, and readers of the old index never see a
// half-built one. Postings are flat typed arrays: per term id a range of document numbers and, per
// entry, the term's frequency in each field, so scoring reads memory in order and allocates
// nothing. Scoring lives in bm25.ts, which can rank several indexes as if they were one.
import { analyzeTool, FIELD_COUNT, type AnalyzedTool } from './analyze.js';
import type { ToolDefinition } from './tool-definition.js';
import { Vocabulary } from './vocabulary.js';

export interface IndexChanges {
  /** New or changed definitions (by name). */
  readonly upsert?: readonly ToolDefinition[];
  /** Names to drop. */
  readonly remove?: readonly string[];
}

const NO_DOCS = new Int32Array(0);

export class ToolIndex {
  static readonly empty = new ToolIndex([]);

  readonly #docs: readonly AnalyzedTool[];
  readonly #byName: ReadonlyMap<string, number>;
  readonly #vocabulary: Vocabulary;
  /** Term id → its postings' range: entries postingStart[id] … postingStart[id + 1] − 1. */
  readonly #postingStart: Int32Array;
  readonly #lengthTotals: readonly number[];
  readonly #leads: ReadonlyMap<number, Int32Array>;
  #totalTokens: number | undefined;

  // ---- read by bm25.ts ----
  /** Per posting entry: the document. */
  readonly postingDocs: Int32Array;
  /** Per posting entry: FIELD_COUNT frequencies of the term in that document. */
  readonly postingTf: Uint16Array;
  /** Per document: FIELD_COUNT field lengths (terms). */
  readonly docLengths: Uint32Array;

  /** Later definitions of the same name replace earlier ones. */
  constructor(tools: Iterable<ToolDefinition>, analyzed?: readonly AnalyzedTool[]) {
    const vocabulary = Vocabulary.current();
    const given = analyzed ?? dedupe(Array.from(tools, (tool) => analyzeTool(tool, vocabulary)));
    // One vocabulary per index: a document analysed with an older one (rare) is analysed again.
    const docs = given.every((doc) => doc.vocabulary === vocabulary) ? given : given.map((doc) => analyzeTool(doc.tool, vocabulary));
    const terms = vocabulary.size;
    const start = new Int32Array(terms + 1);
    const byName = new Map<string, number>();
    const lengths = new Uint32Array(docs.length * FIELD_COUNT);
    const totals = [0, 0, 0, 0];
    const leads = new Map<number, number[]>();
    let entries = 0;
    for (let d = 0; d < docs.length; d++) {
      const doc = docs[d]!;
      byName.set(doc.tool.name, d);
      for (let f = 0; f < FIELD_COUNT; f++) {
        lengths[d * FIELD_COUNT + f] = doc.lengths[f]!;
        totals[f]! += doc.lengths[f]!;
      }
      if (doc.lead >= 0) {
        const led = leads.get(doc.lead);
        if (led === undefined) leads.set(doc.lead, [d]);
        else led.push(d);
      }
      const ids = doc.terms;
      for (let i = 0; i < ids.length; i++) start[ids[i]! + 1]!++;
      entries += ids.length;
    }
    for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, terms);
    const postingDocs = new Int32Array(entries);
    const postingTf = new Uint16Array(entries * FIELD_COUNT);
    for (let d = 0; d < docs.length; d++) {
      const { terms: ids, tf } = docs[d]!;
      for (let i = 0; i < ids.length; i++) {
        const at = next[ids[i]!]!++;
        postingDocs[at] = d;
        const to = at * FIELD_COUNT;
        const from = i * FIELD_COUNT;
        postingTf[to] = tf[from]!;
        postingTf[to + 1] = tf[from + 1]!;
        postingTf[to + 2] = tf[from + 2]!;
        postingTf[to + 3] = tf[from + 3]!;
      }
    }
    this.#docs = docs;
    this.#byName = byName;
    this.#vocabulary = vocabulary;
    this.#postingStart = start;
    this.#lengthTotals = totals;
    this.#leads = new Map([...leads].map(([id, list]) => [id, Int32Array.from(list)]));
    this.postingDocs = postingDocs;
    this.postingTf = postingTf;
    this.docLengths = lengths;
  }

  /** A new index with `changes` applied; unchanged tools keep their analysis. */
  update(changes: IndexChanges): ToolIndex {
    const upserts = (changes.upsert ?? []).map((tool) => analyzeTool(tool));
    const replaced = new Set([...(changes.remove ?? []), ...upserts.map((u) => u.tool.name)]);
    const kept = this.#docs.filter((doc) => !replaced.has(doc.tool.name));
    const removed = new Set(changes.remove ?? []);
    return new ToolIndex([], dedupe([...kept, ...upserts.filter((u) => !removed.has(u.tool.name))]));
  }

  get size(): number {
    return this.#docs.length;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The full definition, as given to the index. */
  get(name: string): ToolDefinition | undefined {
    const d = this.#byName.get(name);
    return d === undefined ? undefined : this.#docs[d]?.tool;
  }

  /** Token estimate of one tool's definition (see estimateTokens). */
  tokensOf(name: string): number {
    const d = this.#byName.get(name);
    return d === undefined ? 0 : (this.#docs[d]?.tokens ?? 0);
  }

  /** Token estimate of every tool `allow` lets through (all when omitted): the tools/list baseline. */
  totalTokens(allow?: (name: string) => boolean): number {
    if (allow === undefined) return (this.#totalTokens ??= this.#docs.reduce((sum, doc) => sum + doc.tokens, 0));
    let sum = 0;
    for (const doc of this.#docs) if (allow(doc.tool.name)) sum += doc.tokens;
    return sum;
  }

  /** Tool names in index order. */
  names(): string[] {
    return this.#docs.map((doc) => doc.tool.name);
  }

  // ---- read by bm25.ts ----

  /** The term's postings: entries `from` … `to` − 1 of postingDocs (and of postingTf, × FIELD_COUNT). */
  postings(term: string): { from: number; to: number } {
    const id = this.#vocabulary.idOf(term);
    if (id === undefined || id + 1 >= this.#postingStart.length) return { from: 0, to: 0 };
    return { from: this.#postingStart[id]!, to: this.#postingStart[id + 1]! };
  }

  /** Documents whose name starts with `term`. */
  leading(term: string): Int32Array {
    const id = this.#vocabulary.idOf(term);
    return (id === undefined ? undefined : this.#leads.get(id)) ?? NO_DOCS;
  }

  lengthTotal(field: number): number {
    return this.#lengthTotals[field] ?? 0;
  }

  docName(doc: number): string {
    return this.#docs[doc]?.tool.name ?? '';
  }
}

function dedupe(docs: readonly AnalyzedTool[]): AnalyzedTool[] {
  const last = new Map<string, AnalyzedTool>();
  for (const doc of docs) {
    last.delete(doc.tool.name);
    last.set(doc.tool.name, doc);
  }
  return [...last.values()];
}
