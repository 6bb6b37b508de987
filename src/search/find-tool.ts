// find_tool's arguments and result. The result carries the matching tools' full definitions (what
// tools/list would have shown for them) in rank order, and token_metrics comparing them with the
// whole list the caller could see, counted as ToolHive counts (JSON bytes / 4).
import { isObject, type Parsed } from './call-tool.js';
import type { ToolDefinition } from './tool-definition.js';
import type { ToolIndex } from './tool-index.js';

/** Longest tool_description accepted: a paragraph, several times over. */
export const MAX_DESCRIPTION_CHARS = 4096;
/** Most tool_keywords accepted, and the longest one. */
export const MAX_KEYWORDS = 32;
export const MAX_KEYWORD_CHARS = 128;

export interface FindToolArgs {
  readonly description: string;
  readonly keywords: readonly string[];
}

export interface TokenMetrics {
  readonly baseline_tokens: number;
  readonly returned_tokens: number;
  readonly savings_percent: number;
}

export interface FindToolOutput {
  readonly tools: readonly ToolDefinition[];
  readonly token_metrics: TokenMetrics;
}

export function parseFindToolArgs(args: unknown): Parsed<FindToolArgs> {
  if (!isObject(args)) return { ok: false, message: 'find_tool arguments must be an object' };
  const description = args.tool_description;
  if (typeof description !== 'string' || description.trim() === '') return { ok: false, message: 'tool_description is required' };
  if (description.length > MAX_DESCRIPTION_CHARS) {
    return { ok: false, message: `tool_description is longer than the ${MAX_DESCRIPTION_CHARS}-character limit` };
  }
  const raw = args.tool_keywords ?? [];
  // Agents sometimes send one comma-separated string instead of an array; accept it.
  const keywords = typeof raw === 'string' ? raw.split(/[,\s]+/).filter(Boolean) : raw;
  if (!Array.isArray(keywords) || !keywords.every((k) => typeof k === 'string')) {
    return { ok: false, message: 'tool_keywords must be an array of strings' };
  }
  if (keywords.length > MAX_KEYWORDS) return { ok: false, message: `tool_keywords has more than the ${MAX_KEYWORDS}-keyword limit` };
  if (keywords.some((k) => k.length > MAX_KEYWORD_CHARS)) {
    return { ok: false, message: `a tool_keywords entry is longer than the ${MAX_KEYWORD_CHARS}-character limit` };
  }
  return { ok: true, value: { description, keywords } };
}

/** The output for ranked `names`; the baseline is every tool of `indexes` that `allow` lets through. */
export function findToolOutput(indexes: readonly ToolIndex[], names: readonly string[], allow?: (name: string) => boolean): FindToolOutput {
  const tools: ToolDefinition[] = [];
  let returned = 0;
  for (const name of names) {
    const index = indexes.find((i) => i.has(name));
    const tool = index?.get(name);
    if (index === undefined || tool === undefined) continue;
    tools.push(tool);
    returned += index.tokensOf(name);
  }
  const baseline = indexes.reduce((sum, index) => sum + index.totalTokens(allow), 0);
  return { tools, token_metrics: tokenMetrics(baseline, returned) };
}

/** ToolHive's ComputeTokenMetrics: all zero when there is nothing to compare with. */
export function tokenMetrics(baseline: number, returned: number): TokenMetrics {
  if (baseline === 0) return { baseline_tokens: 0, returned_tokens: 0, savings_percent: 0 };
  return { baseline_tokens: baseline, returned_tokens: returned, savings_percent: ((baseline - returned) / baseline) * 100 };
}

/** A tools/call result: the output as JSON text and as structuredContent, as ToolHive returns it. */
export function findToolResult(output: FindToolOutput): {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
} {
  // The same object serialized twice; it shares the index's definitions, which nothing mutates.
  const structured: Record<string, unknown> = { tools: output.tools, token_metrics: output.token_metrics };
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** A tools/call error result (isError: true), for invalid arguments. */
export function toolError(message: string): { content: { type: 'text'; text: string }[]; isError: true } {
  return { content: [{ type: 'text', text: message }], isError: true };
}
