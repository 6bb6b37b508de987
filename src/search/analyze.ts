// One tool → its index entry: its distinct term ids with their frequency per field, field lengths
// and (on first use) a token estimate. Done once per tool definition and remembered by the
// definition object; a new object whose texts were seen before (a catalog snapshot copies every
// definition) reuses the texts' term ids, so only its name is analysed again.
import { appendTermIds, termCacheEnabled, TermIds } from './tokenize.js';
import { estimateTokens, paramTexts, toolDescription, toolTitle, type ToolDefinition } from './tool-definition.js';
import { Vocabulary } from './vocabulary.js';

/** Indexed fields, in the order of every per-field array in this layer. */
export const FIELDS = ['name', 'title', 'description', 'params'] as const;
export type Field = (typeof FIELDS)[number];
export const FIELD_COUNT = 4;

export interface AnalyzedTool {
  readonly tool: ToolDefinition;
  /** What `terms` are ids of. */
  readonly vocabulary: Vocabulary;
  /** Distinct term ids of the tool. */
  readonly terms: Int32Array;
  /** FIELD_COUNT frequencies per term, in `terms` order. */
  readonly tf: Uint16Array;
  /** Terms per field. */
  readonly lengths: readonly number[];
  readonly tokens: number;
  /** The name's first term id (−1: none): the server prefix under the gateway's default naming (`github_…`). */
  readonly lead: number;
}

const MAX_TF = 0xffff;

// Weak, so an analysis lives exactly as long as its definition does.
const analyses = new WeakMap<ToolDefinition, AnalyzedTool>();

/**
 * The analysis of a definition, with `vocabulary` (the current one by default). Definitions are
 * read as immutable: a definition object must not be changed after indexing.
 */
export function analyzeTool(tool: ToolDefinition, vocabulary = Vocabulary.current()): AnalyzedTool {
  const known = analyses.get(tool);
  if (known !== undefined && known.vocabulary === vocabulary) return known;
  const made = analyze(tool, vocabulary);
  analyses.set(tool, made);
  return made;
}

// ---- term ids of texts, remembered (per vocabulary) ----

/** Texts shorter than this are analysed every time: cheaper than remembering. */
const TEXT_CACHE_MIN_CHARS = 24;
const TEXT_CACHE_MAX = 20_000;

class TextIds {
  readonly texts = new Map<string, Int32Array>();
  /** Parameter texts by input schema object: snapshots copy definitions but share their schemas. */
  readonly schemas = new WeakMap<object, Int32Array>();
  constructor(readonly vocabulary: Vocabulary) {}
}

let remembered: TextIds | undefined;

function textIds(vocabulary: Vocabulary): TextIds | undefined {
  if (!termCacheEnabled()) {
    remembered = undefined;
    return undefined;
  }
  if (remembered?.vocabulary !== vocabulary) remembered = new TextIds(vocabulary);
  return remembered;
}

/** The tool being analysed: the term ids of its fields, one after the other. */
const gathered = new TermIds();

/** Appends the term ids of a field's text to `gathered`. */
function gatherText(text: string, vocabulary: Vocabulary, cache: TextIds | undefined): void {
  if (cache === undefined || text.length < TEXT_CACHE_MIN_CHARS) return appendTermIds(text, vocabulary, gathered);
  let ids = cache.texts.get(text);
  if (ids !== undefined) {
    // Least recently used out: a hit moves to the end.
    cache.texts.delete(text);
  } else {
    const from = gathered.length;
    appendTermIds(text, vocabulary, gathered);
    ids = gathered.slice(from);
    if (cache.texts.size >= TEXT_CACHE_MAX) cache.texts.delete(cache.texts.keys().next().value!);
    cache.texts.set(text, ids);
    return;
  }
  cache.texts.set(text, ids);
  gathered.append(ids);
}

function gatherParams(tool: ToolDefinition, vocabulary: Vocabulary, cache: TextIds | undefined): void {
  const schema = tool.inputSchema;
  const keyed = cache !== undefined && typeof schema === 'object' && schema !== null;
  const known = keyed ? cache.schemas.get(schema) : undefined;
  if (known !== undefined) return gathered.append(known);
  const from = gathered.length;
  for (const piece of paramTexts(schema)) appendTermIds(piece, vocabulary, gathered);
  if (keyed) cache.schemas.set(schema, gathered.slice(from));
}

// ---- counting ----

/** Per term id: its slot in the tool being counted, valid where `stamp` holds the current epoch. */
let slotOf = new Int32Array(1 << 14);
let stamp = new Int32Array(1 << 14);
let epoch = 0;
let slotTerms = new Int32Array(1 << 10);
let slotTf = new Uint16Array(FIELD_COUNT << 10);
let slots = 0;

function begin(vocabulary: Vocabulary): void {
  if (vocabulary.size > slotOf.length) {
    let n = slotOf.length;
    while (n < vocabulary.size) n *= 2;
    slotOf = new Int32Array(n);
    stamp = new Int32Array(n);
    epoch = 0;
  }
  if (++epoch === 0x7fffffff) {
    stamp.fill(0);
    epoch = 1;
  }
  slots = 0;
}

/** Counts `gathered` entries from … to − 1 as occurrences in field f; returns how many. */
function count(from: number, to: number, f: number): number {
  const list = gathered.ids;
  for (let i = from; i < to; i++) {
    const id = list[i]!;
    let slot: number;
    if (stamp[id] === epoch) slot = slotOf[id]!;
    else {
      slot = slots++;
      if (slot === slotTerms.length) {
        const terms = new Int32Array(slotTerms.length * 2);
        terms.set(slotTerms);
        slotTerms = terms;
        const tf = new Uint16Array(slotTf.length * 2);
        tf.set(slotTf);
        slotTf = tf;
      }
      stamp[id] = epoch;
      slotOf[id] = slot;
      slotTerms[slot] = id;
      const at = slot * FIELD_COUNT;
      slotTf[at] = slotTf[at + 1] = slotTf[at + 2] = slotTf[at + 3] = 0;
    }
    const at = slot * FIELD_COUNT + f;
    if (slotTf[at]! < MAX_TF) slotTf[at]!++;
  }
  return to - from;
}

function analyze(tool: ToolDefinition, vocabulary: Vocabulary): AnalyzedTool {
  const cache = textIds(vocabulary);
  gathered.length = 0;
  appendTermIds(tool.name, vocabulary, gathered);
  const name = gathered.length;
  gatherText(toolTitle(tool), vocabulary, cache);
  const title = gathered.length;
  gatherText(toolDescription(tool), vocabulary, cache);
  const description = gathered.length;
  gatherParams(tool, vocabulary, cache);
  // Every id is known now: the counting tables can be sized.
  begin(vocabulary);
  const lengths = [count(0, name, 0), count(name, title, 1), count(title, description, 2), count(description, gathered.length, 3)];
  const lead = name > 0 ? gathered.ids[0]! : -1;
  const { terms, tf } = keep();
  return new Analyzed(tool, vocabulary, terms, tf, lengths, lead);
}

// Analyses are views into shared chunks: thousands of small typed arrays of their own would each
// cost an allocation (and a backing store for the GC to track). A chunk lives while any view does.
const CHUNK_TERMS = 1 << 15;
let termChunk = new Int32Array(CHUNK_TERMS);
let tfChunk = new Uint16Array(CHUNK_TERMS * FIELD_COUNT);
let chunkUsed = 0;

/** The counted slots, copied out of the counting tables. */
function keep(): { terms: Int32Array; tf: Uint16Array } {
  if (chunkUsed + slots > termChunk.length) {
    termChunk = new Int32Array(Math.max(CHUNK_TERMS, slots));
    tfChunk = new Uint16Array(termChunk.length * FIELD_COUNT);
    chunkUsed = 0;
  }
  const from = chunkUsed;
  for (let i = 0; i < slots; i++) termChunk[from + i] = slotTerms[i]!;
  for (let i = 0; i < slots * FIELD_COUNT; i++) tfChunk[from * FIELD_COUNT + i] = slotTf[i]!;
  chunkUsed += slots;
  return {
    terms: termChunk.subarray(from, from + slots),
    tf: tfChunk.subarray(from * FIELD_COUNT, (from + slots) * FIELD_COUNT),
  };
}

/** The token estimate is only needed for find_tool's metrics: computed on first use, not at indexing. */
class Analyzed implements AnalyzedTool {
  #tokens: number | undefined;
  constructor(
    readonly tool: ToolDefinition,
    readonly vocabulary: Vocabulary,
    readonly terms: Int32Array,
    readonly tf: Uint16Array,
    readonly lengths: readonly number[],
    readonly lead: number,
  ) {}

  get tokens(): number {
    return (this.#tokens ??= estimateTokens(this.tool));
  }
}

/**
 * Lets `tool` use the analysis of `same`, a definition with the very same members (a copy, as
 * each catalog build makes): nothing to analyse again. No effect if `same` was never analysed.
 */
export function adoptAnalysis(tool: ToolDefinition, same: ToolDefinition): void {
  const known = analyses.get(same);
  if (known === undefined || analyses.has(tool)) return;
  analyses.set(tool, new Analyzed(tool, known.vocabulary, known.terms, known.tf, known.lengths, known.lead));
}
