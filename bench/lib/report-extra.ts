// The report's scale, warning-count and CPU-profile sections: medians across interleaved rounds,
// vmcp/mcp-hub ratios at the largest size, and how vmcp's start-up grows with the backend count.
import { compositeMarkdown, type CompositeResult } from './composite.js';
import { LIST_FETCHES, type ScaleGateway, type ScaleResult } from './scale.js';
import { median, round } from './stats.js';
import type { IdleSessionResult } from './idle-sessions.js';
import { telemetryMarkdown, type TelemetryResult } from './telemetry.js';
import type { WarningResult } from './warnings.js';
import { codeModeMarkdown, type CodeModeResult } from './codemode.js';
import { sessionStorageMarkdown, type SessionStorageResult } from './session-storage.js';

export interface Extras {
  composite?: CompositeResult;
  scale?: ScaleResult & { summary?: ScaleSummary };
  warnings?: WarningResult;
  idleSessions?: IdleSessionResult;
  codeMode?: CodeModeResult;
  telemetry?: TelemetryResult;
  sessionStorage?: SessionStorageResult;
  /** Where the CPU profile summary was written (`--cpu-prof`). */
  cpuProfile?: string;
}

export interface ScaleRow {
  gateway: ScaleGateway;
  backends: number;
  startupMs: number;
  listMs: number;
  rssMiB: number;
  tools: number;
}

export interface ScaleSummary {
  rows: ScaleRow[];
  ratios: { name: string; value: number | null; target: number; status: 'PASS' | 'FAIL' | 'n/a' }[];
  /** vmcp start-up per backend at each size, and the marginal cost of each step. */
  linearity: { backends: number; msPerBackend: number; marginalMsPerBackend: number | null }[];
}

export function summarizeScale(r: ScaleResult): ScaleSummary {
  const keys = [...new Set(r.samples.map((s) => `${s.gateway}@${s.backends}`))];
  const rows = keys.map((k): ScaleRow => {
    const ss = r.samples.filter((s) => `${s.gateway}@${s.backends}` === k);
    const first = ss[0]!;
    const med = (f: (x: (typeof ss)[number]) => number) => median(ss.map(f));
    return {
      gateway: first.gateway,
      backends: first.backends,
      startupMs: med((x) => x.startupMs),
      listMs: med((x) => x.listMs),
      rssMiB: med((x) => x.rssMiB),
      tools: first.tools,
    };
  });
  rows.sort((a, b) => a.gateway.localeCompare(b.gateway) || a.backends - b.backends);
  const max = Math.max(...r.settings.sizes);
  const v = rows.find((x) => x.gateway === 'vmcp' && x.backends === max);
  const h = rows.find((x) => x.gateway === 'mcp-hub' && x.backends === max);
  const ratio = (name: string, f: (x: ScaleRow) => number) => {
    const value = v && h && f(h) > 0 ? round(f(v) / f(h), 3) : null;
    return {
      name: `${name} vmcp/mcp-hub at ${max} backends`,
      value,
      target: 1.0,
      status: value === null ? 'n/a' : value <= 1.0 ? 'PASS' : 'FAIL',
    } as const;
  };
  const vm = rows.filter((x) => x.gateway === 'vmcp');
  const linearity = vm.map((x, i) => {
    const prev = vm[i - 1];
    return {
      backends: x.backends,
      msPerBackend: round(x.startupMs / x.backends, 2),
      marginalMsPerBackend: prev ? round((x.startupMs - prev.startupMs) / (x.backends - prev.backends), 2) : null,
    };
  });
  return {
    rows,
    ratios: [ratio('start-up', (x) => x.startupMs), ratio('full tools/list', (x) => x.listMs), ratio('RSS', (x) => x.rssMiB)],
    linearity,
  };
}

const f = (n: number | null | undefined, d = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

function scaleMarkdown(r: ScaleResult, s: ScaleSummary): string[] {
  return [
    '',
    `## Scale: ${r.settings.tools} tools per Streamable HTTP backend (${r.settings.rounds} interleaved round(s), medians)`,
    '',
    `Start-up: gateway spawn → the first complete tools/list a client gets. Full list: every page of tools/list on a warm session, the median of ${LIST_FETCHES} fetches. RSS: the gateway process after the list fetches.`,
    '',
    '| gateway | backends | tools | start-up ms | full list ms | RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...s.rows.map((x) => `| ${x.gateway} | ${x.backends} | ${x.tools} | ${f(x.startupMs, 0)} | ${f(x.listMs)} | ${f(x.rssMiB, 0)} |`),
    '',
    '| check | value | target | result |',
    '|---|---:|---:|---|',
    ...s.ratios.map((c) => `| ${c.name} | ${c.value ?? '-'} | <= ${c.target} | ${c.status} |`),
    '',
    'vmcp start-up linearity (ms per backend; marginal = extra ms per extra backend from the previous size):',
    '',
    '| backends | ms per backend | marginal ms per backend |',
    '|---:|---:|---:|',
    ...s.linearity.map((l) => `| ${l.backends} | ${f(l.msPerBackend, 2)} | ${f(l.marginalMsPerBackend, 2)} |`),
    ...(r.errors.length ? ['', 'Scale problems:', '', ...r.errors.map((e) => `- ${e.split('\n')[0]}`)] : []),
  ];
}

function warningsMarkdown(w: WarningResult): string[] {
  return [
    '',
    `## Warning count: ${w.calls} tools/call through vmcp → echo.mjs (Streamable HTTP), ${w.sessions} sessions`,
    '',
    `${w.seconds.toFixed(1)} s, ${w.errors} failed call(s); process warnings in the gateway's stderr: **${w.processWarnings}** ` +
      `(MaxListenersExceededWarning: **${w.maxListenersWarnings}**; expected 0).`,
    ...(w.samples.length ? ['', ...w.samples.map((l) => `    ${l}`)] : []),
    ...(w.firstError ? ['', `First failed call: ${w.firstError}`] : []),
  ];
}

/** The target: an idle 2025-era session costs at most 25 KiB of gateway heap. */
const IDLE_SESSION_BUDGET = 25 * 1024;

function idleSessionsMarkdown(m: IdleSessionResult): string[] {
  const kib = m.bytesPerSession / 1024;
  return [
    '',
    '## Heap per idle 2025-era session',
    '',
    `Gateway heap after a full GC at ${m.sizes.join(' / ')} open sessions: ${m.heap.map((h) => (h / 2 ** 20).toFixed(1)).join(' / ')} MiB; ` +
      `**${kib.toFixed(1)} KiB per session** (target ≤ 25 KiB: ${m.bytesPerSession <= IDLE_SESSION_BUDGET ? 'PASS' : 'FAIL'}).`,
  ];
}

export function extraMarkdown(r: Extras): string[] {
  const out: string[] = [];
  if (r.scale?.summary) out.push(...scaleMarkdown(r.scale, r.scale.summary));
  if (r.warnings) out.push(...warningsMarkdown(r.warnings));
  if (r.idleSessions) out.push(...idleSessionsMarkdown(r.idleSessions));
  if (r.composite) out.push(...compositeMarkdown(r.composite));
  if (r.codeMode) out.push(...codeModeMarkdown(r.codeMode));
  if (r.telemetry) out.push(...telemetryMarkdown(r.telemetry));
  if (r.sessionStorage) out.push(...sessionStorageMarkdown(r.sessionStorage));
  if (r.cpuProfile) out.push('', `CPU profile of the floor case: summary in \`${r.cpuProfile}\`.`);
  return out;
}
