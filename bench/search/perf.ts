// Speed and size: find_tool latency over a large synthetic catalog, index rebuild and update
// time, and the bytes/tokens of a find_tool result against the tools/list it replaces.
import { findToolResult } from '../../src/search/find-tool.js';
import { estimateTokens, type ToolDefinition } from '../../src/search/tool-definition.js';
import { ToolIndex } from '../../src/search/tool-index.js';
import { ToolSearch } from '../../src/search/tool-search.js';
import { round } from './quality.js';

export interface Latency {
  readonly samples: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
}

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0, 3);
  return { samples: s.length, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99) };
}

/** find_tool end to end (parse → rank → definitions + token metrics), with an authorization filter. */
export async function findToolLatency(tools: readonly ToolDefinition[], queries: readonly string[], rounds: number): Promise<Latency> {
  const index = new ToolIndex(tools);
  // A caller allowed nine tools in ten, as a Cedar policy or per-backend filter would leave it.
  const allowed = new Set(tools.filter((_, i) => i % 10 !== 9).map((t) => t.name));
  const scope = { indexes: [index], allow: (name: string) => allowed.has(name) };
  const search = new ToolSearch({ settings: { maxToolsToReturn: 8, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 } });
  const samples: number[] = [];
  for (let r = -1; r < rounds; r++) {
    for (const description of queries) {
      const started = performance.now();
      const output = await search.findTool({ description, keywords: [] }, scope);
      findToolResult(output);
      if (r >= 0) samples.push(performance.now() - started); // round -1 warms up
    }
  }
  return latency(samples);
}

export function rebuildTimes(
  tools: readonly ToolDefinition[],
  changed: readonly ToolDefinition[],
  runs: number,
): { rebuild: Latency; update: Latency } {
  const rebuild: number[] = [];
  const update: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const index = new ToolIndex(tools);
    rebuild.push(performance.now() - started);
    started = performance.now();
    index.update({ upsert: changed });
    update.push(performance.now() - started);
  }
  return { rebuild: latency(rebuild), update: latency(update) };
}

export interface SizeReport {
  readonly catalog_tools: number;
  readonly tools_list_bytes: number;
  readonly tools_list_tokens: number;
  readonly find_tool_bytes_mean: number;
  readonly find_tool_tokens_mean: number;
  readonly savings_percent_mean: number;
}

/** The tools/list result a client would read vs the find_tool results for the task queries. */
export async function sizes(tools: readonly ToolDefinition[], queries: readonly string[], maxTools: number): Promise<SizeReport> {
  const index = new ToolIndex(tools);
  const search = new ToolSearch({ settings: { maxToolsToReturn: maxTools, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 } });
  const listBytes = Buffer.byteLength(JSON.stringify({ tools }));
  let bytes = 0;
  let tokens = 0;
  let savings = 0;
  for (const description of queries) {
    const output = await search.findTool({ description, keywords: [] }, { indexes: [index] });
    bytes += Buffer.byteLength(JSON.stringify(findToolResult(output)));
    tokens += output.token_metrics.returned_tokens;
    savings += output.token_metrics.savings_percent;
  }
  const n = queries.length;
  return {
    catalog_tools: tools.length,
    tools_list_bytes: listBytes,
    tools_list_tokens: tools.reduce((s, t) => s + estimateTokens(t), 0),
    find_tool_bytes_mean: Math.round(bytes / n),
    find_tool_tokens_mean: Math.round(tokens / n),
    savings_percent_mean: round(savings / n, 2),
  };
}
