// Speed and size: find_tool latency over a large synthetic catalog, index rebuild and update
// time, and the bytes/tokens of a find_tool result against the tools/list it replaces.
import { findToolResult } from '../../src/search/find-tool.js';
import { estimateTokens, type ToolDefinition } from '../../src/search/tool-definition.js';
import { ToolIndex } from '../../src/search/tool-index.js';
import { ToolSearch, type SearchScope } from '../../src/search/tool-search.js';
import { ViewIndexes } from '../../src/search/view-indexes.js';
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

/**
 * find_tool end to end (rank → definitions + token metrics → result JSON) for a caller allowed
 * nine tools in ten, as a Cedar policy or per-backend filter would leave it. `filter`: how that
 * caller is searched — with an `allow` callback over the whole index, or as the gateway does it,
 * through the caller's filtered list (ViewIndexes: a subset of the shared index).
 */
export async function findToolLatency(
  tools: readonly ToolDefinition[],
  queries: readonly string[],
  rounds: number,
  filter: 'allow' | 'view' = 'allow',
): Promise<Latency> {
  const visible = tools.filter((_, i) => i % 10 !== 9);
  const allowed = new Set(visible.map((t) => t.name));
  let scope: SearchScope;
  if (filter === 'allow') scope = { indexes: [new ToolIndex(tools)], allow: (name: string) => allowed.has(name) };
  else {
    const views = new ViewIndexes();
    views.shared(tools);
    scope = { indexes: [views.indexOf(visible)] };
  }
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
  /** From definitions never indexed before (fresh objects and strings, no remembered text). */
  readonly rebuild: Latency;
  /** The first find_tool on that index: it also counts every definition's tokens for the baseline. */
  readonly first_find_after_rebuild: Latency;
  /**
   * A catalog change as the gateway sees it: a new snapshot of copied definitions (sharing their
   * schemas, as aggregation's catalog build copies them) in which one server's tools are new.
   */
  readonly rebuild_after_change: Latency;
  /** The first find_tool on that index. */
  readonly first_find_after_change: Latency;
  /** A new catalog snapshot holding the same definition objects (analysis reused by identity). */
  readonly rebuild_same_definitions: Latency;
  /** One server's tools replaced. */
  readonly update: Latency;
  /** A caller's Cedar-filtered view (nine tools in ten) of the shared index: a subset, nothing rebuilt. */
  readonly filtered_view: Latency;
}

export async function rebuildTimes(
  tools: readonly ToolDefinition[],
  changed: readonly ToolDefinition[],
  queries: readonly string[],
  runs: number,
): Promise<IndexTimes> {
  const series = (): [number[], number[]] => [[], []];
  const [cold, coldFind, change, changeFind, warm, update, view] = [series(), series(), series(), series(), series(), series(), series()];
  const visible = tools.filter((_, i) => i % 10 !== 9).map((t) => t.name);
  const add = (into: [number[], number[]], [w, c]: [number, number]): void => void (into[0].push(w), into[1].push(c));
  const search = new ToolSearch({ settings: { maxToolsToReturn: 8, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 } });
  const find = (index: ToolIndex, i: number) => async () =>
    findToolResult(await search.findTool({ description: queries[i % queries.length]!, keywords: [] }, { indexes: [index] }));
  const changedNames = new Set(changed.map((t) => t.name));
  let index = new ToolIndex(tools);
  for (let i = 0; i < runs; i++) {
    // Deep copies: new strings and schema objects, as a backend's fresh tools/list gives them.
    const fresh = structuredClone(tools) as ToolDefinition[];
    setTermCacheMode('off'); // the replicas repeat texts: never-seen text means no remembering at all
    add(cold, await timed(() => (index = new ToolIndex(fresh))));
    add(coldFind, await timed(find(index, i)));
    setTermCacheMode('remember');
    // The snapshot before the change, then the one after it: one server's definitions new (text never seen).
    new ToolIndex(tools.map((t) => ({ ...t })));
    const newer = (structuredClone(changed) as ToolDefinition[]).map((t) => ({ ...t, description: `${t.description ?? ''} (${i})` }));
    const snapshot = [...tools.filter((t) => !changedNames.has(t.name)).map((t) => ({ ...t })), ...newer];
    let changedIndex = index;
    add(change, await timed(() => (changedIndex = new ToolIndex(snapshot))));
    add(changeFind, await timed(find(changedIndex, i)));
    add(warm, await timed(() => new ToolIndex(fresh)));
    const fresher = changed.map((t) => ({ ...t, description: `${t.description ?? ''} [${i}]` }));
    add(update, await timed(() => index.update({ upsert: fresher })));
    add(view, await timed(() => index.subset(visible)));
  }
  return {
    rebuild: latency(...cold),
    first_find_after_rebuild: latency(...coldFind),
    rebuild_after_change: latency(...change),
    first_find_after_change: latency(...changeFind),
    rebuild_same_definitions: latency(...warm),
    update: latency(...update),
    filtered_view: latency(...view),
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
