// Speed and size: find_tool latency over a large synthetic catalog, index rebuild and update
// time, and the bytes/tokens of a find_tool result against the tools/list it replaces.
import { findToolResult } from '../../src/search/find-tool.js';
import { estimateTokens, type ToolDefinition } from '../../src/search/tool-definition.js';
import { ToolIndex } from '../../src/search/tool-index.js';
import { ToolSearch } from '../../src/search/tool-search.js';
import { setTermCacheMode } from '../../src/search/tokenize.js';
import { round } from './quality.js';

export interface Latency {
  readonly samples: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  /** CPU time (user + system) of the same samples: unlike wall time, it leaves out waiting for a core on a busy machine. */
  readonly cpu_p50_ms: number;
  readonly cpu_p99_ms: number;
}

function at(sorted: readonly number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0, 3);
}

export function latency(wall: number[], cpu: number[]): Latency {
  const w = [...wall].sort((a, b) => a - b);
  const c = [...cpu].sort((a, b) => a - b);
  return {
    samples: w.length,
    p50_ms: at(w, 0.5),
    p90_ms: at(w, 0.9),
    p99_ms: at(w, 0.99),
    cpu_p50_ms: at(c, 0.5),
    cpu_p99_ms: at(c, 0.99),
  };
}

/** Wall and CPU milliseconds of one call. */
async function timed(run: () => unknown): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
}

/** find_tool end to end (parse → rank → definitions + token metrics), with an authorization filter. */
export async function findToolLatency(tools: readonly ToolDefinition[], queries: readonly string[], rounds: number): Promise<Latency> {
  const index = new ToolIndex(tools);
  // A caller allowed nine tools in ten, as a Cedar policy or per-backend filter would leave it.
  const allowed = new Set(tools.filter((_, i) => i % 10 !== 9).map((t) => t.name));
  const scope = { indexes: [index], allow: (name: string) => allowed.has(name) };
  const search = new ToolSearch({ settings: { maxToolsToReturn: 8, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 } });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = -1; r < rounds; r++) {
    for (const description of queries) {
      const [w, c] = await timed(async () => findToolResult(await search.findTool({ description, keywords: [] }, scope)));
      if (r < 0) continue; // round -1 warms up
      wall.push(w);
      cpu.push(c);
    }
  }
  return latency(wall, cpu);
}

export interface IndexTimes {
  /** From definitions never indexed before (fresh objects, no remembered text). */
  readonly rebuild: Latency;
  /** A new catalog snapshot: new definition objects with the texts of the previous one. */
  readonly rebuild_same_texts: Latency;
  /** A new catalog snapshot holding the same definition objects (analysis reused by identity). */
  readonly rebuild_same_definitions: Latency;
  /** One server's tools replaced. */
  readonly update: Latency;
}

export async function rebuildTimes(
  tools: readonly ToolDefinition[],
  changed: readonly ToolDefinition[],
  runs: number,
): Promise<IndexTimes> {
  const cold: [number[], number[]] = [[], []];
  const texts: [number[], number[]] = [[], []];
  const warm: [number[], number[]] = [[], []];
  const update: [number[], number[]] = [[], []];
  let index = new ToolIndex(tools);
  for (let i = 0; i < runs; i++) {
    const fresh = tools.map((t) => ({ ...t }));
    const fresher = changed.map((t) => ({ ...t }));
    const add = (into: [number[], number[]], [w, c]: [number, number]): void => void (into[0].push(w), into[1].push(c));
    setTermCacheMode('off'); // the replicas repeat texts: never-seen text means no remembering at all
    add(cold, await timed(() => (index = new ToolIndex(fresh))));
    setTermCacheMode('remember');
    new ToolIndex(tools.map((t) => ({ ...t }))); // the previous snapshot, whose texts the next one shares
    const again = tools.map((t) => ({ ...t }));
    add(texts, await timed(() => new ToolIndex(again)));
    add(warm, await timed(() => new ToolIndex(fresh)));
    add(update, await timed(() => index.update({ upsert: fresher })));
  }
  return {
    rebuild: latency(...cold),
    rebuild_same_texts: latency(...texts),
    rebuild_same_definitions: latency(...warm),
    update: latency(...update),
  };
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
