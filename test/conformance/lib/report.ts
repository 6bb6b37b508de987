// Expected-failures list, the side-by-side table, the verdict.
import { existsSync, readFileSync } from 'node:fs';
import { PENDING } from './install.js';
import type { ScenarioResult, SuiteRun } from './suite.js';

/** One column of the table: `direct`, `gateway(stdio)`, ... */
export interface Column {
  label: string;
  /** Undefined when the target could not be started; `error` says why. */
  run?: SuiteRun;
  error?: string;
}

/**
 * `- scenario-name: reason` lines. `- scenario-name@sse: reason` limits the entry to one backend
 * transport. Anything else in the file (headings, prose) is ignored.
 */
export function readExpectedFailures(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*[-*]\s+`?([A-Za-z0-9_.-]+(?:@[a-z-]+)?)`?\s*:\s*(.*)$/.exec(line);
    if (m?.[1]) out.set(m[1], m[2]?.trim() ?? '');
  }
  return out;
}

const transportOf = (label: string): string => /^gateway\((.+)\)$/.exec(label)?.[1] ?? '';

function expectedReason(expected: Map<string, string>, scenario: string, label: string): string | undefined {
  return expected.get(`${scenario}@${transportOf(label)}`) ?? expected.get(scenario);
}

const result = (c: Column, s: string): ScenarioResult | undefined =>
  c.run?.scenarios.get(s) ?? (c.error !== undefined ? { pass: false, failure: c.error } : undefined);

export function scenarioOrder(columns: Column[]): string[] {
  const names: string[] = [];
  for (const c of columns) for (const s of c.run?.scenarios.keys() ?? []) if (!names.includes(s)) names.push(s);
  return names;
}

export function table(columns: Column[], expected: Map<string, string>): string {
  const names = scenarioOrder(columns);
  const cell = (c: Column, s: string): string => {
    const r = result(c, s);
    if (!r) return '-';
    if (r.pass) return 'PASS';
    return c.label !== 'direct' && expectedReason(expected, s, c.label) !== undefined ? 'FAIL (expected)' : 'FAIL';
  };
  const rows = [
    ['scenario', ...columns.map((c) => c.label)],
    ...names.map((s) => [`${s}${PENDING.has(s) ? ' (pending)' : ''}`, ...columns.map((c) => cell(c, s))]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const fmt = (r: string[]): string =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [fmt(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(fmt)].join('\n');
}

export function counts(c: Column, names: string[]): { passed: number; total: number } {
  return { passed: names.filter((s) => result(c, s)?.pass === true).length, total: names.length };
}

export function summaryLine(columns: Column[]): string {
  const names = scenarioOrder(columns);
  return `conformance: ${columns
    .map((c) => {
      const { passed, total } = counts(c, names);
      return `${c.label} ${passed}/${total}`;
    })
    .join(', ')}`;
}

export function failureDetails(columns: Column[]): string[] {
  const lines: string[] = [];
  for (const c of columns) {
    if (c.error !== undefined) {
      lines.push(`  ${c.label}: ${c.error.split('\n')[0]}`);
      continue;
    }
    for (const [s, r] of c.run?.scenarios ?? []) if (!r.pass) lines.push(`  ${c.label} ${s} -> ${r.failure ?? '(no message)'}`);
  }
  return lines;
}

/** The reasons to fail the run (empty = exit 0). */
export function verdict(columns: Column[], expected: Map<string, string>): { problems: string[]; stale: string[] } {
  const problems: string[] = [];
  const stale: string[] = [];
  const direct = columns.find((c) => c.label === 'direct');
  if (!direct?.run) return { problems: [`direct run failed: ${direct?.error ?? 'not run'}`], stale };
  const directFails = [...direct.run.scenarios].filter(([s, r]) => !r.pass && !PENDING.has(s)).map(([s]) => s);
  if (directFails.length) problems.push(`direct run is not 100% on the active suite: ${directFails.join(', ')}`);
  for (const c of columns.filter((x) => x !== direct)) {
    for (const [s, d] of direct.run.scenarios) {
      if (!d.pass) continue;
      const g = result(c, s);
      const reason = expectedReason(expected, s, c.label);
      if (g?.pass === false && reason === undefined) problems.push(`${c.label}: ${s} passes directly but fails through the gateway`);
      if (g?.pass === true && reason !== undefined) stale.push(`${c.label}: ${s} is listed as an expected failure but passes`);
    }
  }
  return { problems, stale };
}
