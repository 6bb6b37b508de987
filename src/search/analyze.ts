// One tool → its index entry: term frequencies per field, field lengths and a token estimate.
// Done once per tool definition; an index update re-analyzes only the tools that changed.
import { cachedTerms, termCacheEnabled, terms } from './tokenize.js';
import { estimateTokens, toolText, type ToolDefinition, type ToolText } from './tool-definition.js';

/** Indexed fields, in the order of every per-field array in this layer. */
export const FIELDS = ['name', 'title', 'description', 'params'] as const;
export type Field = (typeof FIELDS)[number];
/** Four: the literal `tf.push(0, 0, 0, 0)` below relies on it. */
export const FIELD_COUNT = 4;

export interface AnalyzedTool {
  readonly tool: ToolDefinition;
  /** Distinct terms of the tool. */
  readonly terms: readonly string[];
  /** FIELD_COUNT frequencies per term, in `terms` order. */
  readonly tf: Uint16Array;
  /** Terms per field. */
  readonly lengths: readonly number[];
  readonly tokens: number;
  /** The name's first term: the server prefix under the gateway's default naming (`github_…`). */
  readonly lead: string;
}

const MAX_TF = 0xffff;

// A catalog rebuild hands over mostly the same (immutable) definition objects: their analysis is
// reused by identity. Weak, so it lives exactly as long as the definitions do.
const analyses = new WeakMap<ToolDefinition, AnalyzedTool>();

/** Definitions are read as immutable: a definition object must not be changed after indexing. */
export function analyzeTool(tool: ToolDefinition): AnalyzedTool {
  let analysis = analyses.get(tool);
  if (analysis === undefined) analyses.set(tool, (analysis = analyze(tool)));
  return analysis;
}

/** Terms, per-slot field frequencies and field lengths being collected for one tool. */
class Counts {
  readonly slots = new Map<string, number>();
  readonly tf: number[] = [];
  readonly lengths = [0, 0, 0, 0];

  add(list: readonly string[], f: number): void {
    for (const term of list) {
      let slot = this.slots.get(term);
      if (slot === undefined) {
        slot = this.slots.size;
        this.slots.set(term, slot);
        this.tf.push(0, 0, 0, 0);
      }
      const at = slot * FIELD_COUNT + f;
      if (this.tf[at]! < MAX_TF) this.tf[at]!++;
    }
    this.lengths[f]! += list.length;
  }
}

interface Body {
  readonly terms: readonly string[];
  readonly tf: Uint16Array;
  readonly lengths: readonly number[];
}

// Everything but the name, remembered by its text: a new catalog snapshot advertises the same
// definitions as new objects (often under new names), and replicas of one server share texts.
// Bounded: least recently used out past BODY_CACHE_MAX.
const BODY_CACHE_MAX = 10_000;
const bodies = new Map<string, Body>();

function body(text: ToolText): Body {
  const key = termCacheEnabled() ? `${text.title}\u0001${text.description}\u0001${text.params.join('\u0002')}` : undefined;
  const known = key === undefined ? undefined : bodies.get(key);
  if (key !== undefined && known !== undefined) {
    bodies.delete(key);
    bodies.set(key, known);
    return known;
  }
  const counts = new Counts();
  counts.add(cachedTerms(text.title), 1);
  counts.add(cachedTerms(text.description), 2);
  for (const piece of text.params) counts.add(cachedTerms(piece), 3);
  const made = { terms: [...counts.slots.keys()], tf: Uint16Array.from(counts.tf), lengths: counts.lengths };
  if (key !== undefined) {
    if (bodies.size >= BODY_CACHE_MAX) bodies.delete(bodies.keys().next().value!);
    bodies.set(key, made);
  }
  return made;
}

function analyze(tool: ToolDefinition): AnalyzedTool {
  const text = toolText(tool);
  const shared = body(text);
  const names = terms(text.name);
  // The body's tables, copied, with the name's terms added in field 0.
  const all = [...shared.terms];
  const tf = new Uint16Array((all.length + names.length) * FIELD_COUNT);
  tf.set(shared.tf);
  for (const term of names) {
    let slot = all.indexOf(term);
    if (slot < 0) slot = all.push(term) - 1;
    const at = slot * FIELD_COUNT;
    if (tf[at]! < MAX_TF) tf[at]!++;
  }
  const lengths = [names.length, ...shared.lengths.slice(1)];
  return new Analyzed(tool, all, tf.subarray(0, all.length * FIELD_COUNT), lengths, names[0] ?? '');
}

/** The token estimate is only needed for find_tool's metrics: computed on first use, not at indexing. */
class Analyzed implements AnalyzedTool {
  #tokens: number | undefined;
  constructor(
    readonly tool: ToolDefinition,
    readonly terms: readonly string[],
    readonly tf: Uint16Array,
    readonly lengths: readonly number[],
    readonly lead: string,
  ) {}

  get tokens(): number {
    return (this.#tokens ??= estimateTokens(this.tool));
  }
}
