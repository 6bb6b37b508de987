// The search benchmark's report: JSON shape and Markdown rendering, with the targets checked.
import type { IndexTimes, Latency, SizeReport } from './perf.js';
import type { Quality, QualityReport } from './quality.js';

export interface SearchReport {
  readonly generated_at: string;
  readonly machine: { node: string; cpus: number; cpu: string; loadavg_start: number[] };
  readonly catalog: { servers: { server: string; package: string; tools: number }[]; tools: number };
  readonly tasks: number;
  readonly quality: { keyword: QualityReport; keyword_no_expansion: QualityReport; hybrid?: QualityReport };
  readonly size: { real: SizeReport; synthetic_5000: SizeReport };
  readonly find_tool_latency_5000: Latency;
  /** The same through the caller's filtered list, as the gateway searches it. */
  readonly find_tool_latency_5000_view: Latency;
  readonly index_5000: IndexTimes;
  readonly loadavg_end: number[];
}

interface Check {
  readonly name: string;
  readonly value: number;
  readonly op: '>=' | '<=';
  readonly target: number;
}

export function checks(r: SearchReport): Check[] {
  return [
    { name: 'keyword recall@5', value: r.quality.keyword.all.recall_at_5, op: '>=', target: 0.9 },
    { name: 'keyword recall@1', value: r.quality.keyword.all.recall_at_1, op: '>=', target: 0.7 },
    { name: `token savings at ${r.size.real.catalog_tools} tools (%)`, value: r.size.real.savings_percent_mean, op: '>=', target: 90 },
    { name: 'find_tool p50 over 5,000 tools (ms, wall)', value: r.find_tool_latency_5000.p50_ms, op: '<=', target: 2 },
    { name: 'find_tool p50 over 5,000 tools (ms, CPU)', value: r.find_tool_latency_5000.cpu_p50_ms, op: '<=', target: 2 },
    { name: 'index rebuild p50, 5,000 tools (ms, wall)', value: r.index_5000.rebuild.p50_ms, op: '<=', target: 100 },
    { name: 'index rebuild p50, 5,000 tools (ms, CPU)', value: r.index_5000.rebuild.cpu_p50_ms, op: '<=', target: 100 },
    {
      name: 'index rebuild after one server changed, p50 (ms, CPU)',
      value: r.index_5000.rebuild_after_change.cpu_p50_ms,
      op: '<=',
      target: 100,
    },
  ];
}

const pass = (c: Check): string => ((c.op === '>=' ? c.value >= c.target : c.value <= c.target) ? 'PASS' : 'FAIL');
const q = (name: string, x: Quality): string => `| ${name} | ${x.tasks} | ${x.recall_at_1} | ${x.recall_at_5} | ${x.mrr} |`;

function qualityRows(label: string, report: QualityReport): string[] {
  return [q(`${label}: all`, report.all), q(`${label}: even half`, report.even), q(`${label}: odd half`, report.odd)];
}

export function toMarkdown(r: SearchReport): string {
  return [...header(r), ...qualitySection(r), ...sizeSection(r), ...speedSection(r), ...missesSection(r)].join('\n');
}

function header(r: SearchReport): string[] {
  const load = `load average ${r.machine.loadavg_start.join(' ')} → ${r.loadavg_end.join(' ')}`;
  return [
    '# Tool search benchmark',
    '',
    `${r.generated_at} · Node ${r.machine.node} · ${r.machine.cpus} × ${r.machine.cpu} · ${load}`,
    '',
    `Catalog: ${r.catalog.tools} real tool definitions from ${r.catalog.servers.length} published MCP servers; ${r.tasks} tasks.`,
    '',
    '| check | value | target | |',
    '|---|---|---|---|',
    ...checks(r).map((c) => `| ${c.name} | ${c.value} | ${c.op} ${c.target} | ${pass(c)} |`),
    '',
  ];
}

function qualitySection(r: SearchReport): string[] {
  return [
    '## Retrieval quality',
    '',
    '| ranking | tasks | recall@1 | recall@5 | MRR |',
    '|---|---|---|---|---|',
    ...qualityRows('keyword (BM25F + synonyms)', r.quality.keyword),
    ...qualityRows('keyword, no synonym expansion', r.quality.keyword_no_expansion),
    ...(r.quality.hybrid ? qualityRows('hybrid (ratio 0.5)', r.quality.hybrid) : ['| hybrid | not run (no --embedding-url) | | | |']),
    '',
  ];
}

function sizeSection(r: SearchReport): string[] {
  return [
    '## Size of a find_tool result (8 tools) vs tools/list',
    '',
    '| catalog | tools/list bytes | tools/list tokens | find_tool result bytes (mean) | returned tokens (mean) | token savings (mean) |',
    '|---|---|---|---|---|---|',
    ...[r.size.real, r.size.synthetic_5000].map(
      (x) =>
        `| ${x.catalog_tools} tools | ${x.tools_list_bytes} | ${x.tools_list_tokens} | ${x.find_tool_bytes_mean} | ${x.find_tool_tokens_mean} | ${x.savings_percent_mean}% |`,
    ),
    '',
    'Result bytes count the JSON text and the identical structuredContent, as both are sent; tokens are JSON bytes / 4 of the definitions (ToolHive’s counter).',
    '',
  ];
}

function speedSection(r: SearchReport): string[] {
  const rows: [string, Latency][] = [
    ['find_tool (keyword, authorization filter callback)', r.find_tool_latency_5000],
    ['find_tool (keyword, the caller’s filtered view, as the gateway searches)', r.find_tool_latency_5000_view],
    ['index rebuild (all 5,000, never indexed before)', r.index_5000.rebuild],
    ['first find_tool on it (counts every definition’s tokens)', r.index_5000.first_find_after_rebuild],
    ['index rebuild after a catalog change (new snapshot objects, one server’s 26 tools new)', r.index_5000.rebuild_after_change],
    ['first find_tool on it', r.index_5000.first_find_after_change],
    ['index rebuild (new snapshot, same definition objects)', r.index_5000.rebuild_same_definitions],
    ['index update (one server’s 26 tools)', r.index_5000.update],
    ['a caller’s filtered view of it (subset of 4,500)', r.index_5000.filtered_view],
  ];
  return [
    '## Speed over 5,000 tools (real definitions replicated under varied names)',
    '',
    'Wall time includes waiting for a core; on a machine busy with other work (see the load average above) CPU time is the better measure of the work itself.',
    '',
    '| operation | samples | p50 ms | p90 ms | p99 ms | CPU p50 ms | CPU p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([name, l]) => `| ${name} | ${l.samples} | ${l.p50_ms} | ${l.p90_ms} | ${l.p99_ms} | ${l.cpu_p50_ms} | ${l.cpu_p99_ms} |`),
    '',
  ];
}

function missesSection(r: SearchReport): string[] {
  const rank = (m: QualityReport['misses'][number]): string => (m.rank === null ? 'not in top 10' : `#${m.rank}`);
  return [
    '## Keyword misses (expected tool not first)',
    '',
    ...r.quality.keyword.misses.map(
      (m) => `- ${rank(m)}: “${m.query}” → want \`${m.expected}\`, got ${m.got.map((g) => `\`${g}\``).join(', ')}`,
    ),
    '',
  ];
}
