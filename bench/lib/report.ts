// Turns per-round measurements into the report: medians across rounds per target, the
// gateway-vs-direct ratio checks (PASS/FAIL against the targets), machine facts, Markdown + JSON.
import os from 'node:os';
import { medianOf, round } from './stats.js';
import type { RoundResult } from './driver.js';
import type { TargetId } from './targets.js';
import { extraMarkdown, type Extras } from './report-extra.js';

export interface MedianRow {
  setup_p50: number;
  setup_p99: number;
  list_p50: number;
  list_p99: number;
  seq_p50: number;
  seq_p99: number;
  seq_rps: number;
  conc_p50: number;
  conc_p99: number;
  conc_rps: number;
  /** CPU µs per call of the target's gateway process (the server itself for a direct target); NaN when not read. */
  seq_cpu_us: number;
  conc_cpu_us: number;
  /** The bench client's own CPU µs per call in the concurrent phase. */
  conc_client_cpu_us: number;
  errors: number;
}

export interface TargetOutcome {
  id: TargetId;
  name: string;
  description: string;
  details?: Record<string, unknown>;
  rounds: RoundResult[];
  roundErrors: string[];
  startError?: string;
  median?: MedianRow;
  /** Request headers (E: a bearer token): never written to the report. */
  headers?: Record<string, string>;
}

export interface RatioCheck {
  name: string;
  value: number | null;
  op: '<=' | '>=';
  target: number;
  status: 'PASS' | 'FAIL' | 'n/a';
}

const CHECKS: ReadonlyArray<{ name: string; num: TargetId; den: TargetId; metric: keyof MedianRow; op: '<=' | '>='; target: number }> = [
  { name: 'gateway-everything-stdio p50 / everything-direct p50', num: 'B', den: 'A', metric: 'seq_p50', op: '<=', target: 1.5 },
  {
    name: 'gateway-everything-stdio throughput / everything-direct throughput',
    num: 'B',
    den: 'A',
    metric: 'conc_rps',
    op: '>=',
    target: 0.6,
  },
  // One extra Streamable HTTP hop over the floor.
  { name: 'gateway-echo-http p50 / echo-direct p50', num: 'D', den: 'C', metric: 'seq_p50', op: '<=', target: 1.6 },
  { name: 'gateway-echo-http throughput / echo-direct throughput', num: 'D', den: 'C', metric: 'conc_rps', op: '>=', target: 0.8 },
  // The same hop with no logic at all (P): how much of D's extra hop is vmcp's own. vmcp routes,
  // maps ids, bounds, times and counts every call; its budget is a quarter over a bare hop.
  { name: 'gateway-echo-http p50 / zero-logic proxy p50', num: 'D', den: 'P', metric: 'seq_p50', op: '<=', target: 1.25 },
  { name: 'gateway-echo-http throughput / zero-logic proxy throughput', num: 'D', den: 'P', metric: 'conc_rps', op: '>=', target: 0.8 },
  // Against the peers, over the same stdio server-everything.
  { name: 'vmcp (B) p50 / mcp-hub (F) p50', num: 'B', den: 'F', metric: 'seq_p50', op: '<=', target: 1.0 },
  { name: 'vmcp (B) throughput / mcp-hub (F) throughput', num: 'B', den: 'F', metric: 'conc_rps', op: '>=', target: 1.0 },
  // The same comparison with the same client transport on both sides (legacy HTTP+SSE).
  { name: 'vmcp over SSE (H) p50 / mcp-hub (F) p50', num: 'H', den: 'F', metric: 'seq_p50', op: '<=', target: 1.0 },
  { name: 'vmcp over SSE (H) throughput / mcp-hub (F) throughput', num: 'H', den: 'F', metric: 'conc_rps', op: '>=', target: 1.0 },
  { name: 'vmcp (B) p50 / mcp-proxy (G) p50', num: 'B', den: 'G', metric: 'seq_p50', op: '<=', target: 1.0 },
  { name: 'vmcp (B) throughput / mcp-proxy (G) throughput', num: 'B', den: 'G', metric: 'conc_rps', op: '>=', target: 1.0 },
  // What each gateway process itself spends per call (its CPU time), free of the client's share of
  // the 2 cores: the client transports differ (F speaks only HTTP+SSE) and cost the client unequally.
  { name: 'vmcp (B) gateway CPU per call / mcp-hub (F), sequential', num: 'B', den: 'F', metric: 'seq_cpu_us', op: '<=', target: 1.0 },
  { name: 'vmcp (B) gateway CPU per call / mcp-hub (F), concurrent', num: 'B', den: 'F', metric: 'conc_cpu_us', op: '<=', target: 1.0 },
  {
    name: 'vmcp over SSE (H) gateway CPU per call / mcp-hub (F), concurrent',
    num: 'H',
    den: 'F',
    metric: 'conc_cpu_us',
    op: '<=',
    target: 1.0,
  },
  // Informational (no target set): what JWT validation + cached token exchange add to D.
  { name: 'gateway-echo-http-auth p50 / gateway-echo-http p50', num: 'E', den: 'D', metric: 'seq_p50', op: '<=', target: 1.5 },
  {
    name: 'gateway-echo-http-auth throughput / gateway-echo-http throughput',
    num: 'E',
    den: 'D',
    metric: 'conc_rps',
    op: '>=',
    target: 0.6,
  },
];

export function medianRow(rounds: readonly RoundResult[]): MedianRow | undefined {
  if (rounds.length === 0) return undefined;
  return medianOf(
    rounds.map((r) => ({
      setup_p50: r.setup.p50,
      setup_p99: r.setup.p99,
      list_p50: r.list.p50,
      list_p99: r.list.p99,
      seq_p50: r.sequential.p50,
      seq_p99: r.sequential.p99,
      seq_rps: r.sequential.rps,
      conc_p50: r.concurrent.p50,
      conc_p99: r.concurrent.p99,
      conc_rps: r.concurrent.rps,
      seq_cpu_us: r.sequential.cpuUsPerCall ?? Number.NaN,
      conc_cpu_us: r.concurrent.cpuUsPerCall ?? Number.NaN,
      conc_client_cpu_us: r.concurrent.clientCpuUsPerCall ?? Number.NaN,
      errors: r.errors,
    })),
  );
}

export function ratioChecks(outcomes: readonly TargetOutcome[]): RatioCheck[] {
  const byId = new Map(outcomes.map((o) => [o.id, o.median]));
  return CHECKS.map((c) => {
    const num = byId.get(c.num)?.[c.metric];
    const den = byId.get(c.den)?.[c.metric];
    if (num === undefined || den === undefined || !(den > 0))
      return { name: c.name, value: null, op: c.op, target: c.target, status: 'n/a' };
    const value = round(num / den, 3);
    const ok = c.op === '<=' ? value <= c.target : value >= c.target;
    return { name: c.name, value, op: c.op, target: c.target, status: ok ? 'PASS' : 'FAIL' };
  });
}

export function machineFacts(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    loadavg: loadavg(),
  };
}

export function loadavg(): number[] {
  return os.loadavg().map((l) => round(l, 2));
}

/** A warning when other work competed for the CPU: 2 shared cores make every figure load-sensitive. */
function busyWarning(m: Record<string, unknown>): string[] {
  const cores = Number(m.cores);
  const worst = Math.max(...[m.loadavg, m.loadavgEnd].map((l) => (Array.isArray(l) ? Number(l[0]) : 0)));
  if (!(worst > cores * 0.75)) return [];
  return [
    '',
    `**Warning:** the machine was busy (1-min load avg up to ${worst} on ${cores} cores); other processes ` +
      'competed for the CPU, so single runs swing widely. Compare the per-round figures, or rerun with more --rounds on a quiet machine.',
  ];
}

const f = (v: number | undefined, d = 2) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));

function targetTable(outcomes: readonly TargetOutcome[], concurrency: number): string[] {
  const rows = [
    `| target | setup p50 | setup p99 | tools/list p50 | call p50 | call p99 | seq calls/s | c=${concurrency} p50 | c=${concurrency} p99 | c=${concurrency} calls/s | CPU µs/call seq | CPU µs/call c=${concurrency} | client CPU µs/call c=${concurrency} | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const o of outcomes) {
    const m = o.median;
    if (!m) {
      const why = (o.startError ?? o.roundErrors[0] ?? 'no rounds').split('\n')[0];
      rows.push(`| ${o.id} ${o.name} | not measured: ${why} |${' |'.repeat(12)}`);
      continue;
    }
    rows.push(
      `| ${o.id} ${o.name} | ${f(m.setup_p50)} | ${f(m.setup_p99)} | ${f(m.list_p50)} | ${f(m.seq_p50)} | ${f(m.seq_p99)} | ` +
        `${f(m.seq_rps, 0)} | ${f(m.conc_p50)} | ${f(m.conc_p99)} | ${f(m.conc_rps, 0)} | ${f(m.seq_cpu_us, 0)} | ${f(m.conc_cpu_us, 0)} | ${f(m.conc_client_cpu_us, 0)} | ${m.errors} |`,
    );
  }
  return rows;
}

function perRoundTable(outcomes: readonly TargetOutcome[]): string[] {
  const n = Math.max(0, ...outcomes.map((o) => o.rounds.length));
  if (n === 0) return ['(no round completed)'];
  const head = Array.from({ length: n }, (_, i) => `round ${i + 1}`);
  const rows = [`| target (call p50 ms / c-calls/s) | ${head.join(' | ')} |`, `|---|${head.map(() => '---:').join('|')}|`];
  for (const o of outcomes) {
    if (!o.rounds.length) continue;
    rows.push(`| ${o.id} ${o.name} | ${o.rounds.map((r) => `${f(r.sequential.p50)} / ${f(r.concurrent.rps, 0)}`).join(' | ')} |`);
  }
  return rows;
}

export interface Report extends Extras {
  when: string;
  machine: Record<string, unknown>;
  settings: Record<string, unknown>;
  targets: TargetOutcome[];
  ratios: RatioCheck[];
}

export function toMarkdown(r: Report): string {
  const m = r.machine;
  const s = r.settings;
  const lines = [
    `# vmcp benchmark ${r.when}`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${m.platform}, ` +
      `load avg at start ${JSON.stringify(m.loadavg)}, at end ${JSON.stringify(m.loadavgEnd)}.`,
    `Settings: ${s.rounds} interleaved round(s) after ${s.prime ?? 0} unmeasured priming calls per target, ${s.calls} sequential calls per round ` +
      `(at least ${s.perWorker ?? 50} per worker in the concurrent phase), ${s.sessions} session setups, ` +
      `concurrency ${s.concurrency} (one session per worker), ${s.warmup} warm-up calls; tool \`echo\` {"message":"hi"}; ` +
      'loopback only; v2 client over Streamable HTTP (legacy HTTP+SSE for F mcp-hub and H). All figures are medians across rounds; latencies in ms. ' +
      'CPU µs/call: the CPU time of the gateway process (the server itself for A and C; not its backends, not the client) per measured call, from the kernel per-thread run time; client CPU: the bench process itself (all 16 sessions).' +
      (s.vmcpRoot ? ` vmcp taken from ${String(s.vmcpRoot)} (--vmcp-root).` : ''),
    ...busyWarning(m),
    '',
    ...targetTable(r.targets, Number(s.concurrency)),
    '',
    '| check | value | target | result |',
    '|---|---:|---:|---|',
    ...r.ratios.map((c) => `| ${c.name} | ${c.value ?? '-'} | ${c.op} ${c.target} | ${c.status} |`),
    '',
    'Per round:',
    '',
    ...perRoundTable(r.targets),
  ];
  const problems = r.targets.flatMap((o) => [
    ...(o.startError ? [`- ${o.id} ${o.name}: ${o.startError.split('\n')[0]}`] : []),
    ...o.roundErrors.map((e) => `- ${o.id} ${o.name}: ${e.split('\n')[0]}`),
    ...o.rounds.filter((x) => x.firstError).map((x) => `- ${o.id} ${o.name}: ${x.errors} failed call(s), first: ${x.firstError}`),
  ]);
  if (problems.length) lines.push('', 'Problems:', '', ...problems);
  lines.push(...extraMarkdown(r));
  return `${lines.join('\n')}\n`;
}
