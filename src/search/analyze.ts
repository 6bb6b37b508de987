// One tool → its index entry: term frequencies per field, field lengths and a token estimate.
// Done once per tool definition; an index update re-analyzes only the tools that changed.
import { countTerms } from './tokenize.js';
import { estimateTokens, toolText, type ToolDefinition } from './tool-definition.js';

/** Indexed fields, in the order of every per-field array in this layer. */
export const FIELDS = ['name', 'title', 'description', 'params'] as const;
export type Field = (typeof FIELDS)[number];
export const FIELD_COUNT = FIELDS.length;

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

export function analyzeTool(tool: ToolDefinition): AnalyzedTool {
  const text = toolText(tool);
  const slots = new Map<string, number>();
  const tf: number[] = [];
  const lengths: number[] = [];
  FIELDS.forEach((field, f) => {
    const counts = new Map<string, number>();
    lengths.push(countTerms(text[field], counts));
    for (const [term, n] of counts) {
      let slot = slots.get(term);
      if (slot === undefined) {
        slot = slots.size;
        slots.set(term, slot);
        for (let i = 0; i < FIELD_COUNT; i++) tf.push(0);
      }
      tf[slot * FIELD_COUNT + f] = Math.min(n, MAX_TF);
    }
  });
  return { tool, terms: [...slots.keys()], tf: Uint16Array.from(tf), lengths, tokens: estimateTokens(tool) };
}
