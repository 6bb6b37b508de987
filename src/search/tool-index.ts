// An immutable keyword index over a set of tool definitions (one per catalog snapshot, or one per
// user for per-user backends). `update()` returns a new index and re-analyzes only what changed, so
// a backend's list_changed costs that backend's tools, and readers of the old index never see a
// half-built one. Scoring lives in bm25.ts, which can rank several indexes as if they were one.
import { analyzeTool, FIELD_COUNT, type AnalyzedTool } from './analyze.js';
import type { ToolDefinition } from './tool-definition.js';

export interface Posting {
  /** Document numbers containing the term. */
  readonly docs: readonly number[];
  /** Per entry of `docs`: the term's slot in that document's frequency table (docTf). */
  readonly slots: readonly number[];
}

export interface IndexChanges {
  /** New or changed definitions (by name). */
  readonly upsert?: readonly ToolDefinition[];
  /** Names to drop. */
  readonly remove?: readonly string[];
}

export class ToolIndex {
  static readonly empty = new ToolIndex([]);

  readonly #docs: readonly AnalyzedTool[];
  readonly #byName: ReadonlyMap<string, number>;
  readonly #postings: ReadonlyMap<string, Posting>;
  readonly #lengthTotals: readonly number[];
  readonly #leads: ReadonlyMap<string, readonly number[]>;
  #totalTokens: number | undefined;

  /** Later definitions of the same name replace earlier ones. */
  constructor(tools: Iterable<ToolDefinition>, analyzed?: readonly AnalyzedTool[]) {
    const docs = analyzed ?? dedupe([...tools].map(analyzeTool));
    const byName = new Map<string, number>();
    const postings = new Map<string, { docs: number[]; slots: number[] }>();
    const totals: number[] = new Array<number>(FIELD_COUNT).fill(0);
    const leads = new Map<string, number[]>();
    for (let d = 0; d < docs.length; d++) {
      const doc = docs[d]!;
      byName.set(doc.tool.name, d);
      const lead = leads.get(doc.lead);
      if (lead === undefined) leads.set(doc.lead, [d]);
      else lead.push(d);
      for (let f = 0; f < FIELD_COUNT; f++) totals[f]! += doc.lengths[f]!;
      const terms = doc.terms;
      for (let slot = 0; slot < terms.length; slot++) {
        const term = terms[slot]!;
        const posting = postings.get(term);
        if (posting === undefined) postings.set(term, { docs: [d], slots: [slot] });
        else {
          posting.docs.push(d);
          posting.slots.push(slot);
        }
      }
    }
    this.#docs = docs;
    this.#byName = byName;
    this.#postings = postings;
    this.#lengthTotals = totals;
    this.#leads = leads;
  }

  /** A new index with `changes` applied; unchanged tools keep their analysis. */
  update(changes: IndexChanges): ToolIndex {
    const upserts = (changes.upsert ?? []).map(analyzeTool);
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

  postings(term: string): Posting | undefined {
    return this.#postings.get(term);
  }

  /** Documents whose name starts with `term`. */
  leading(term: string): readonly number[] | undefined {
    return this.#leads.get(term);
  }

  lengthTotal(field: number): number {
    return this.#lengthTotals[field] ?? 0;
  }

  docName(doc: number): string {
    return this.#docs[doc]?.tool.name ?? '';
  }

  /** FIELD_COUNT frequencies per slot of the document's terms. */
  docTf(doc: number): Uint16Array {
    return this.#docs[doc]!.tf;
  }

  docLength(doc: number, field: number): number {
    return this.#docs[doc]?.lengths[field] ?? 0;
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
