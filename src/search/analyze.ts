// One tool → its index entry: term frequencies per field, field lengths and a token estimate.
// Done once per tool definition; an index update re-analyzes only the tools that changed.
import { cachedTerms, terms } from './tokenize.js';
import { estimateTokens, toolText, type ToolDefinition } from './tool-definition.js';

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

function analyze(tool: ToolDefinition): AnalyzedTool {
  const text = toolText(tool);
  const slots = new Map<string, number>();
  const tf: number[] = [];
  const lengths = [0, 0, 0, 0];
  const add = (list: readonly string[], f: number): void => {
    for (const term of list) {
      let slot = slots.get(term);
      if (slot === undefined) {
        slot = slots.size;
        slots.set(term, slot);
        tf.push(0, 0, 0, 0);
      }
      const at = slot * FIELD_COUNT + f;
      if (tf[at]! < MAX_TF) tf[at]!++;
    }
    lengths[f]! += list.length;
  };
  add(terms(text.name), 0);
  add(cachedTerms(text.title), 1);
  add(cachedTerms(text.description), 2);
  for (const piece of text.params) add(cachedTerms(piece), 3);
  return new Analyzed(tool, [...slots.keys()], Uint16Array.from(tf), lengths);
}

/** The token estimate is only needed for find_tool's metrics: computed on first use, not at indexing. */
class Analyzed implements AnalyzedTool {
  #tokens: number | undefined;
  constructor(
    readonly tool: ToolDefinition,
    readonly terms: readonly string[],
    readonly tf: Uint16Array,
    readonly lengths: readonly number[],
  ) {}

  get tokens(): number {
    return (this.#tokens ??= estimateTokens(this.tool));
  }
}
