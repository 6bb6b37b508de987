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

// Analyses are views into shared chunks: thousands of small typed arrays of their own would each
// cost an allocation (and a backing store for the GC to track). A chunk lives while any view does.
// A tool is counted straight into the chunk, from `chunkUsed` on.
const CHUNK_TERMS = 1 << 15;
let termChunk = new Int32Array(CHUNK_TERMS);
let tfChunk = new Uint16Array(CHUNK_TERMS * FIELD_COUNT);
let chunkUsed = 0;

/** Per term id: its slot in the tool being counted, valid where `stamp` holds the current epoch. */
let slotOf = new Int32Array(1 << 14);
let stamp = new Int32Array(1 << 14);
let epoch = 0;
let slots = 0;

/** Ready to count a tool of at most `terms` term occurrences. */
function begin(vocabulary: Vocabulary, terms: number): void {
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
  if (chunkUsed + terms > termChunk.length) {
    termChunk = new Int32Array(Math.max(CHUNK_TERMS, terms));
    tfChunk = new Uint16Array(termChunk.length * FIELD_COUNT);
    chunkUsed = 0;
  }
  slots = 0;
}

/** Counts `gathered` entries from … to − 1 as occurrences in field f; returns how many. */
function count(from: number, to: number, f: number): number {
  const list = gathered.ids;
  const terms = termChunk;
  const tf = tfChunk;
  const base = chunkUsed;
  for (let i = from; i < to; i++) {
    const id = list[i]!;
    let slot: number;
    if (stamp[id] === epoch) slot = slotOf[id]!;
    else {
      slot = base + slots++;
      stamp[id] = epoch;
      slotOf[id] = slot;
      terms[slot] = id;
      const at = slot * FIELD_COUNT;
      tf[at] = tf[at + 1] = tf[at + 2] = tf[at + 3] = 0;
    }
    const at = slot * FIELD_COUNT + f;
    if (tf[at]! < MAX_TF) tf[at]!++;
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
  begin(vocabulary, gathered.length);
  const lengths = [count(0, name, 0), count(name, title, 1), count(title, description, 2), count(description, gathered.length, 3)];
  const lead = name > 0 ? gathered.ids[0]! : -1;
  const from = chunkUsed;
  chunkUsed += slots;
  const terms = termChunk.subarray(from, chunkUsed);
  const tf = tfChunk.subarray(from * FIELD_COUNT, chunkUsed * FIELD_COUNT);
  return new Analyzed(tool, vocabulary, terms, tf, lengths, lead);
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
