// Runs one conformance server suite against one URL and turns its output into per-scenario
// results. The suite prints `✓|✗ NAME: X passed, Y failed` lines in its SUMMARY only when the
// whole run finishes, so a hang or crash loses them: scenarios missing from the summary are taken
// from their checks.json when they completed, and re-run one by one (with a timeout) otherwise.
import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './children.js';
import type { SuiteTool } from './suites.js';

export interface ScenarioResult {
  pass: boolean;
  /** First FAILURE check of the scenario, or why there is no result. */
  failure?: string;
}

export interface SuiteRun {
  scenarios: Map<string, ScenarioResult>;
  /** Wall time of the whole run, re-runs included. */
  ms: number;
  notes: string[];
}

interface Check {
  id?: string;
  status?: string;
  errorMessage?: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const SUMMARY_LINE = /^\s*(✓|✗)\s+([A-Za-z0-9_./-]+):\s+(\d+) passed,\s+(\d+) failed/gm;

export function parseSummary(output: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const m of output.replace(ANSI, '').matchAll(SUMMARY_LINE)) {
    if (m[2]) found.set(m[2], m[1] === '✓');
  }
  return found;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The checks of the latest result directory `server-<scenario>-<ISO timestamp>` in outDir. */
export function readChecks(outDir: string, scenario: string): Check[] | undefined {
  if (!existsSync(outDir)) return undefined;
  const re = new RegExp(`^server-${escapeRe(scenario)}-\\d{4}-\\d\\d-\\d\\dT`);
  const dirs = readdirSync(outDir)
    .filter((d) => re.test(d))
    .sort();
  const latest = dirs.at(-1);
  if (!latest) return undefined;
  try {
    return JSON.parse(readFileSync(join(outDir, latest, 'checks.json'), 'utf8')) as Check[];
  } catch {
    return undefined;
  }
}

/** The first FAILURE check with its message, and the ids of the other failing checks. */
function firstFailure(checks: Check[] | undefined): string | undefined {
  const failed = checks?.filter((x) => x.status === 'FAILURE') ?? [];
  const [c, ...rest] = failed;
  if (!c) return undefined;
  const others = rest.length ? ` (+${rest.length} more: ${[...new Set(rest.map((x) => x.id ?? '?'))].join(', ')})` : '';
  return `${c.id ?? '?'}: ${(c.errorMessage ?? '(no message)').replace(/\s+/g, ' ').slice(0, 240)}${others}`;
}

function fromChecks(checks: Check[]): ScenarioResult {
  const failure = firstFailure(checks);
  if (checks.length === 0) return { pass: false, failure: 'no checks recorded' };
  return failure ? { pass: false, failure } : { pass: true };
}

export interface SuiteOptions {
  outDir: string;
  /** Budget of the whole-suite invocation. */
  timeoutMs: number;
  /** Budget of each single-scenario re-run. */
  scenarioTimeoutMs: number;
  /** Absolute time after which no re-run is started. */
  deadline: number;
}

export async function runSuite(tool: SuiteTool, url: string, o: SuiteOptions): Promise<SuiteRun> {
  const t0 = Date.now();
  rmSync(o.outDir, { recursive: true, force: true });
  mkdirSync(o.outDir, { recursive: true });
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const notes: string[] = [];
  const full = await run(tool.node, [tool.cli, 'server', '--url', url, ...tool.suiteArgs, '-o', o.outDir], {
    env,
    timeoutMs: Math.min(o.timeoutMs, o.deadline - Date.now()),
  });
  if (full.timedOut) notes.push(`suite run timed out after ${Math.round(full.ms / 1000)} s`);
  const summary = parseSummary(`${full.stdout}\n${full.stderr}`);
  const scenarios = new Map<string, ScenarioResult>();
  for (const name of tool.scenarios) {
    const checks = readChecks(o.outDir, name);
    if (summary.has(name)) {
      const pass = summary.get(name) === true;
      scenarios.set(name, pass ? { pass } : { pass, failure: firstFailure(checks) ?? 'failed (no FAILURE check in checks.json)' });
    } else if (checks) {
      scenarios.set(name, fromChecks(checks)); // finished before the run died
    } else {
      scenarios.set(name, await rerun(tool, url, name, o, env));
    }
  }
  for (const name of summary.keys()) {
    if (!scenarios.has(name)) notes.push(`unexpected scenario in summary: ${name}`);
  }
  return { scenarios, ms: Date.now() - t0, notes };
}

async function rerun(tool: SuiteTool, url: string, name: string, o: SuiteOptions, env: NodeJS.ProcessEnv): Promise<ScenarioResult> {
  const budget = Math.min(o.scenarioTimeoutMs, o.deadline - Date.now());
  if (budget < 1000) return { pass: false, failure: 'not run: out of time' };
  const res = await run(tool.node, [tool.cli, 'server', '--url', url, ...tool.scenarioArgs(name), '-o', o.outDir], {
    env,
    timeoutMs: budget,
  });
  const checks = readChecks(o.outDir, name);
  if (checks) return fromChecks(checks);
  const why = res.timedOut ? `timed out after ${Math.round(budget / 1000)} s` : `exit ${res.code}`;
  const last = `${res.stdout}\n${res.stderr}`.replace(ANSI, '').trim().split('\n').at(-1) ?? '';
  return { pass: false, failure: `no result (re-run alone: ${why}) ${last.slice(0, 160)}`.trim() };
}
