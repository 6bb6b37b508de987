// Expected-failures lists, the side-by-side table, the verdict: one suite at a time.
import { existsSync, readFileSync } from 'node:fs';
import type { ScenarioResult, SuiteRun } from './suite.js';
import type { SuiteTool } from './suites.js';
import { BACKEND_TRANSPORTS, type BackendTransport } from './targets.js';

/** One column of the table: `direct`, `gateway(stdio)`, ... */
export interface Column {
  label: string;
  /** The gateway's backend transport; undefined for the direct run. */
  target?: BackendTransport;
  /** Undefined when the target could not be started; `error` says why. */
  run?: SuiteRun;
  error?: string;
}

export interface ExpectedFailure {
  scenario: string;
  /** The gateway targets it applies to; undefined: every gateway target. */
  targets?: string[];
  reason: string;
  line: number;
}

const ITEM = /^[-*]\s+`?([A-Za-z0-9_.-]+)(?:@([A-Za-z0-9,-]+))?`?\s*:\s*(.*)$/;

const SECTION = /^#+\s*Expected failures\s*$/i;

/**
 * `- scenario: reason` items at the start of a line, below a `## Expected failures` heading (the
 * whole file when there is none); `- scenario@stdio,sse: reason` limits one to those backend
 * transports. Lines indented by two or more spaces continue the item above (long diagnoses); a
 * blank line or a non-item line ends it. Anything else (headings, prose) is ignored.
 */
export function readExpectedFailures(file: string): ExpectedFailure[] {
  const out: ExpectedFailure[] = [];
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => SECTION.test(l)) + 1; // 0 without the heading
  let current: ExpectedFailure | undefined;
  lines.forEach((line, i) => {
    if (i < start) return;
    const m = ITEM.exec(line);
    if (m?.[1]) {
      current = { scenario: m[1], targets: m[2]?.split(','), reason: m[3]?.trim() ?? '', line: i + 1 };
      out.push(current);
    } else if (current && /^ {2,}\S/.test(line)) current.reason = `${current.reason} ${line.trim()}`.trim();
    else current = undefined;
  });
  return out;
}

const covers = (e: ExpectedFailure, target: BackendTransport | undefined): boolean =>
  target !== undefined && (e.targets === undefined || e.targets.includes(target));

export function expectedFor(
  entries: ExpectedFailure[],
  scenario: string,
  target: BackendTransport | undefined,
): ExpectedFailure | undefined {
  return entries.find((e) => e.scenario === scenario && covers(e, target));
}

const result = (c: Column, s: string): ScenarioResult | undefined =>
  c.run?.scenarios.get(s) ?? (c.error !== undefined ? { pass: false, failure: c.error } : undefined);

export function table(columns: Column[], entries: ExpectedFailure[], tool: SuiteTool): string {
  const cell = (c: Column, s: string): string => {
    const r = result(c, s);
    if (!r) return '-';
    if (r.pass) return 'PASS';
    return expectedFor(entries, s, c.target) ? 'FAIL (expected)' : 'FAIL';
  };
  const rows = [
    ['scenario', ...columns.map((c) => c.label)],
    ...tool.scenarios.map((s) => [`${s}${tool.scored.has(s) ? '' : ' (not scored)'}`, ...columns.map((c) => cell(c, s))]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const fmt = (r: string[]): string =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [fmt(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(fmt)].join('\n');
}

/** Passed / total over the scored scenarios. */
export function counts(c: Column, tool: SuiteTool): { passed: number; total: number } {
  const scored = tool.scenarios.filter((s) => tool.scored.has(s));
  return { passed: scored.filter((s) => result(c, s)?.pass === true).length, total: scored.length };
}

export function summaryLine(columns: Column[], tool: SuiteTool): string {
  const parts = columns.map((c) => {
    const { passed, total } = counts(c, tool);
    return `${c.label} ${passed}/${total}`;
  });
  return `conformance ${tool.def.title}: ${parts.join(', ')}`;
}

/**
 * First failure of each failing scenario: every scored one directly, and through the gateway the
 * ones that pass directly (the others say nothing about the gateway). Unscored scenarios that fail
 * directly get one line.
 */
export function failureDetails(columns: Column[], entries: ExpectedFailure[], tool: SuiteTool): string[] {
  const lines: string[] = [];
  const direct = columns.find((c) => c.target === undefined);
  const passesDirectly = (s: string): boolean => direct?.run?.scenarios.get(s)?.pass === true;
  const unscored = tool.scenarios.filter((s) => !tool.scored.has(s) && direct?.run && !passesDirectly(s));
  if (unscored.length) lines.push(`  direct, not scored: ${unscored.length} fail (${unscored.join(', ')})`);
  for (const c of columns) {
    if (c.error !== undefined) {
      lines.push(`  ${c.label}: ${c.error.split('\n')[0]}`);
      continue;
    }
    for (const [s, r] of c.run?.scenarios ?? []) {
      if (r.pass || (c === direct ? !tool.scored.has(s) : !passesDirectly(s))) continue;
      const tag = expectedFor(entries, s, c.target) ? ' (expected)' : '';
      lines.push(`  ${c.label} ${s}${tag} -> ${r.failure ?? '(no message)'}`);
    }
  }
  return lines;
}

/** The reasons to fail the run (empty = this suite is fine). */
export function verdict(columns: Column[], entries: ExpectedFailure[], tool: SuiteTool, file: string): string[] {
  const direct = columns.find((c) => c.target === undefined);
  if (!direct?.run) return [`${tool.def.title}: direct run failed: ${direct?.error ?? 'not run'}`];
  const problems: string[] = [];
  const directFails = tool.scenarios.filter((s) => tool.scored.has(s) && direct.run?.scenarios.get(s)?.pass !== true);
  if (directFails.length) problems.push(`${tool.def.title}: direct run is not 100% on the scored scenarios: ${directFails.join(', ')}`);
  const passesDirectly = (s: string): boolean => direct.run?.scenarios.get(s)?.pass === true;
  for (const c of columns.filter((x) => x !== direct)) {
    for (const s of tool.scenarios.filter(passesDirectly)) {
      if (result(c, s)?.pass === false && !expectedFor(entries, s, c.target)) {
        problems.push(`${tool.def.title} ${c.label}: ${s} passes directly but fails through the gateway`);
      }
    }
  }
  return [...problems, ...entryProblems(columns, entries, tool, file, passesDirectly)];
}

/** Entries without a reason, naming nothing real, duplicated, or stale (the scenario passes where listed). */
function entryProblems(
  columns: Column[],
  entries: ExpectedFailure[],
  tool: SuiteTool,
  file: string,
  passesDirectly: (s: string) => boolean,
): string[] {
  const problems: string[] = [];
  const at = (e: ExpectedFailure): string => `${file}:${e.line} (${e.scenario}${e.targets ? `@${e.targets.join(',')}` : ''})`;
  const seen = new Set<string>();
  for (const e of entries) {
    const unknownTargets = (e.targets ?? []).filter((t) => !(BACKEND_TRANSPORTS as readonly string[]).includes(t));
    if (!e.reason) problems.push(`${at(e)}: an expected failure needs a reason`);
    if (!tool.scenarios.includes(e.scenario)) problems.push(`${at(e)}: no such scenario in this suite`);
    else if (!passesDirectly(e.scenario)) problems.push(`${at(e)}: does not pass directly, so it cannot be a gateway failure`);
    if (unknownTargets.length) problems.push(`${at(e)}: unknown backend transport ${unknownTargets.join(', ')}`);
    for (const t of e.targets ?? BACKEND_TRANSPORTS) {
      if (seen.has(`${e.scenario}@${t}`)) problems.push(`${at(e)}: listed twice for ${t}`);
      seen.add(`${e.scenario}@${t}`);
    }
    for (const c of columns.filter((x) => covers(e, x.target) && x.run)) {
      if (result(c, e.scenario)?.pass === true) problems.push(`${at(e)}: stale, passes through ${c.label} (remove it)`);
    }
  }
  return problems;
}
