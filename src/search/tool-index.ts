// An immutable keyword index over a set of tool definitions (one per catalog snapshot, or one per
// user for per-user backends). `update()` returns a new index and re-analyzes only what changed, so
// a backend's list_changed costs that backend's tools, and readers of the old index never see a
// half-built one. `subset()` gives the index of some of its tools (a caller's filtered view)
// without building anything again. Postings are flat typed arrays: per term id a range of document
// numbers and, per entry, the term's frequency in each field, so scoring reads memory in order and
// allocates nothing. Scoring lives in bm25.ts, which can rank several indexes as if they were one.
import { analyzeTool, FIELD_COUNT, type AnalyzedTool } from './analyze.js';
import type { ToolDefinition } from './tool-definition.js';
import { Vocabulary } from './vocabulary.js';

export interface IndexChanges {
  /** New or changed definitions (by name). */
  readonly upsert?: readonly ToolDefinition[];
  /** Names to drop. */
  readonly remove?: readonly string[];
}

/** A term's postings (entries `from` … `to` − 1) and how many belong to the index asked. */
export interface Postings {
  readonly from: number;
  readonly to: number;
  readonly df: number;
}

/** What an index and its subsets share: the analysed documents and their postings. */
interface Core {
  readonly docs: readonly AnalyzedTool[];
  readonly vocabulary: Vocabulary;
  /** Term id → its postings' range: entries postingStart[id] … postingStart[id + 1] − 1. */
  readonly postingStart: Int32Array;
  readonly postingDocs: Int32Array;
  readonly postingTf: Uint16Array;
  readonly docLengths: Uint32Array;
  /** Term id → documents whose name starts with it. */
  readonly leads: ReadonlyMap<number, Int32Array>;
}

interface Parts {
  readonly core: Core;
  readonly member: Uint8Array | undefined;
  readonly byName: ReadonlyMap<string, number>;
  readonly lengthTotals: readonly number[];
}

const NO_DOCS = new Int32Array(0);
const NO_POSTINGS: Postings = { from: 0, to: 0, df: 0 };

// subset() hands its parts to the constructor through here (the constructor's public signature
// stays the one callers use).
let handover: Parts | undefined;

export class ToolIndex {
  static readonly empty = new ToolIndex([]);

  readonly #core: Core;
  /** Per core document, 1 if it is in this index; undefined: all are. */
  readonly #member: Uint8Array | undefined;
  readonly #byName: ReadonlyMap<string, number>;
  readonly #lengthTotals: readonly number[];
  /** A subset's document frequency per term id, counted on first use (−1: not yet). */
  #df: Int32Array | undefined;
  #totalTokens: number | undefined;

  // ---- read by bm25.ts (shared with subsets: document numbers are the core's) ----
  /** Per posting entry: the document. */
  readonly postingDocs: Int32Array;
  /** Per posting entry: FIELD_COUNT frequencies of the term in that document. */
  readonly postingTf: Uint16Array;
  /** Per document: FIELD_COUNT field lengths (terms). */
  readonly docLengths: Uint32Array;
  /** Per document number, 1 if the document is in this index; undefined: all are. */
  readonly member: Uint8Array | undefined;

  /** Later definitions of the same name replace earlier ones. */
  constructor(tools: Iterable<ToolDefinition>, analyzed?: readonly AnalyzedTool[]) {
    const parts = handover ?? fullParts(tools, analyzed);
    handover = undefined;
    this.#core = parts.core;
    this.#member = parts.member;
    this.#byName = parts.byName;
    this.#lengthTotals = parts.lengthTotals;
    this.postingDocs = parts.core.postingDocs;
    this.postingTf = parts.core.postingTf;
    this.docLengths = parts.core.docLengths;
    this.member = parts.member;
  }

  /**
   * The index of only the named tools of this one (names it lacks are ignored): the same analysed
   * documents and postings behind a membership mask, with the subset's own corpus statistics, so
   * it ranks exactly like an index built from those tools alone.
   */
  subset(names: Iterable<string>): ToolIndex {
    const core = this.#core;
    const member = new Uint8Array(core.docs.length);
    const byName = new Map<string, number>();
    const totals = [0, 0, 0, 0];
    for (const name of names) {
      const d = this.#byName.get(name);
      if (d === undefined || member[d] === 1) continue;
      member[d] = 1;
      byName.set(name, d);
      for (let f = 0; f < FIELD_COUNT; f++) totals[f]! += core.docLengths[d * FIELD_COUNT + f]!;
    }
    handover = { core, member, byName, lengthTotals: totals };
    return new ToolIndex([]);
  }

  /** A new index with `changes` applied; unchanged tools keep their analysis. */
  update(changes: IndexChanges): ToolIndex {
    const upserts = (changes.upsert ?? []).map((tool) => analyzeTool(tool));
    const replaced = new Set([...(changes.remove ?? []), ...upserts.map((u) => u.tool.name)]);
    const kept = this.#documents().filter((doc) => !replaced.has(doc.tool.name));
    const removed = new Set(changes.remove ?? []);
    return new ToolIndex([], dedupe([...kept, ...upserts.filter((u) => !removed.has(u.tool.name))]));
  }

  /** This index's documents, in index order. */
  #documents(): readonly AnalyzedTool[] {
    const docs = this.#core.docs;
    return this.#member === undefined ? docs : [...this.#byName.values()].sort((a, b) => a - b).map((d) => docs[d]!);
  }

  get size(): number {
    return this.#byName.size;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The full definition, as given to the index. */
  get(name: string): ToolDefinition | undefined {
    const d = this.#byName.get(name);
    return d === undefined ? undefined : this.#core.docs[d]?.tool;
  }

  /** Token estimate of one tool's definition (see estimateTokens). */
  tokensOf(name: string): number {
    const d = this.#byName.get(name);
    return d === undefined ? 0 : (this.#core.docs[d]?.tokens ?? 0);
  }

  /** Token estimate of every tool `allow` lets through (all when omitted): the tools/list baseline. */
  totalTokens(allow?: (name: string) => boolean): number {
    if (allow === undefined) return (this.#totalTokens ??= this.#documents().reduce((sum, doc) => sum + doc.tokens, 0));
    let sum = 0;
    for (const doc of this.#documents()) if (allow(doc.tool.name)) sum += doc.tokens;
    return sum;
  }

  /** Tool names in index order. */
  names(): string[] {
    return this.#documents().map((doc) => doc.tool.name);
  }

  // ---- read by bm25.ts ----

  /** Document numbers run from 0 to this − 1 (a subset's are its core's). */
  get slots(): number {
    return this.#core.docs.length;
  }

  /** The term's postings: entries `from` … `to` − 1 of postingDocs (and of postingTf, × FIELD_COUNT). */
  postings(term: string): Postings {
    const start = this.#core.postingStart;
    const id = this.#core.vocabulary.idOf(term);
    if (id === undefined || id + 1 >= start.length) return NO_POSTINGS;
    const from = start[id]!;
    const to = start[id + 1]!;
    return { from, to, df: this.#member === undefined ? to - from : this.#subsetDf(id, from, to, this.#member) };
  }

  #subsetDf(id: number, from: number, to: number, member: Uint8Array): number {
    const df = (this.#df ??= new Int32Array(this.#core.postingStart.length - 1).fill(-1));
    if (df[id]! < 0) {
      let count = 0;
      for (let i = from; i < to; i++) count += member[this.#core.postingDocs[i]!]!;
      df[id] = count;
    }
    return df[id]!;
  }

  /** Documents (of the core: check `member`) whose name starts with `term`. */
  leading(term: string): Int32Array {
    const id = this.#core.vocabulary.idOf(term);
    return (id === undefined ? undefined : this.#core.leads.get(id)) ?? NO_DOCS;
  }

  lengthTotal(field: number): number {
    return this.#lengthTotals[field] ?? 0;
  }

  docName(doc: number): string {
    return this.#core.docs[doc]?.tool.name ?? '';
  }
}

function fullParts(tools: Iterable<ToolDefinition>, analyzed: readonly AnalyzedTool[] | undefined): Parts {
  const vocabulary = Vocabulary.current();
  const given = analyzed ?? dedupe(Array.from(tools, (tool) => analyzeTool(tool, vocabulary)));
  // One vocabulary per index: a document analysed with an older one (rare) is analysed again.
  const docs = given.every((doc) => doc.vocabulary === vocabulary) ? given : given.map((doc) => analyzeTool(doc.tool, vocabulary));
  const byName = new Map<string, number>();
  const totals = [0, 0, 0, 0];
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    byName.set(doc.tool.name, d);
    for (let f = 0; f < FIELD_COUNT; f++) totals[f]! += doc.lengths[f]!;
  }
  return { core: buildCore(docs, vocabulary), member: undefined, byName, lengthTotals: totals };
}

/** Postings by counting: term frequencies → ranges, then each document's entries into place. */
function buildCore(docs: readonly AnalyzedTool[], vocabulary: Vocabulary): Core {
  const terms = vocabulary.size;
  const start = new Int32Array(terms + 1);
  const lengths = new Uint32Array(docs.length * FIELD_COUNT);
  const leads = new Map<number, number[]>();
  let entries = 0;
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    for (let f = 0; f < FIELD_COUNT; f++) lengths[d * FIELD_COUNT + f] = doc.lengths[f]!;
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
  return {
    docs,
    vocabulary,
    postingStart: start,
    postingDocs,
    postingTf,
    docLengths: lengths,
    leads: new Map([...leads].map(([id, list]) => [id, Int32Array.from(list)])),
  };
}

function dedupe(docs: readonly AnalyzedTool[]): AnalyzedTool[] {
  const last = new Map<string, AnalyzedTool>();
  for (const doc of docs) {
    last.delete(doc.tool.name);
    last.set(doc.tool.name, doc);
  }
  return [...last.values()];
}
