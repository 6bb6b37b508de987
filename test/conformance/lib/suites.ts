// The two conformance suites the runner knows, side by side:
//   2025: @modelcontextprotocol/conformance 0.1.16, `--suite active|all`, the 2025-11-25 wire
//         (initialize handshake, sessions);
//   2026: @modelcontextprotocol/conformance 0.2.0-alpha.12, `--requirements 2026-07-28`, the frozen
//         set of server scenarios that revision requires (stateless wire, per-request _meta), plus
//         the extension/pending ones the suite runs but does not score.
// Both are installed side by side into .cache/conformance (the 2026 one under an npm alias).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run } from './children.js';

export type Revision = '2025' | '2026';
export const REVISIONS: readonly Revision[] = ['2025', '2026'];
export type SuiteSelection = 'active' | 'all';

/** Scenarios of 0.1.16 that only `--suite all` runs (`conformance list --server` does not mark them). */
export const PENDING_2025 = new Set(['json-schema-2020-12', 'server-sse-polling']);
const REQUIREMENTS_2026 = '2026-07-28';

export interface SuiteDef {
  revision: Revision;
  /** Shown in logs and summary lines. */
  title: string;
  /** npm spec to install and the directory under node_modules it lands in. */
  install: string;
  dir: string;
  version: string;
  /** Expected gateway failures for this suite, next to run.ts. */
  expectedFile: string;
  /** Per-scenario bound passed to the suite (0.1.16 has no such option in server mode). */
  scenarioTimeoutArgs: string[];
}

export const SUITES: Record<Revision, SuiteDef> = {
  '2025': {
    revision: '2025',
    title: '2025-11-25',
    install: '@modelcontextprotocol/conformance@0.1.16',
    dir: '@modelcontextprotocol/conformance',
    version: '0.1.16',
    expectedFile: 'expected-failures.md',
    scenarioTimeoutArgs: [],
  },
  '2026': {
    revision: '2026',
    title: REQUIREMENTS_2026,
    install: 'conformance-2026@npm:@modelcontextprotocol/conformance@0.2.0-alpha.12',
    dir: 'conformance-2026',
    version: '0.2.0-alpha.12',
    expectedFile: 'expected-failures-2026.md',
    scenarioTimeoutArgs: ['--timeout', '20000'],
  },
};

/** One installed suite, ready to run. */
export interface SuiteTool {
  def: SuiteDef;
  /** A Node >= 22 binary. */
  node: string;
  /** The suite's CLI entry (dist/index.js). */
  cli: string;
  /** Every scenario this run expects a result for, in the suite's order. */
  scenarios: string[];
  /** The scenarios that count: the direct run must pass all of them. Others are shown only. */
  scored: Set<string>;
  /** Arguments of one whole-suite invocation (besides --url and -o). */
  suiteArgs: string[];
  /** Arguments that run one scenario alone the same way. */
  scenarioArgs(name: string): string[];
}

/** Scenario lists: 0.1.16 from `list --server`, 2026 from the suite's frozen requirements file. */
export async function describeSuite(def: SuiteDef, node: string, pkgDir: string, selection: SuiteSelection): Promise<SuiteTool> {
  const cli = join(pkgDir, 'dist', 'index.js');
  if (def.revision === '2026') {
    const { required, extra } = readRequirements(join(pkgDir, 'requirements', `${REQUIREMENTS_2026}.yaml`));
    return {
      def,
      node,
      cli,
      scenarios: [...required, ...extra],
      scored: new Set(required),
      suiteArgs: ['--requirements', REQUIREMENTS_2026, ...def.scenarioTimeoutArgs],
      // --force: the extension scenarios are "not applicable" to a dated revision when run alone.
      scenarioArgs: (name) => ['--scenario', name, '--spec-version', REQUIREMENTS_2026, '--force', ...def.scenarioTimeoutArgs],
    };
  }
  const listed = await run(node, [cli, 'list', '--server'], { timeoutMs: 60_000 });
  const all = [...listed.stdout.matchAll(/^\s+-\s+([A-Za-z0-9_.-]+)/gm)].map((m) => m[1] ?? '');
  if (listed.code !== 0 || all.length === 0) {
    throw new Error(`\`conformance list --server\` failed (exit ${listed.code}):\n${listed.stderr.slice(-2000)}`);
  }
  return {
    def,
    node,
    cli,
    scenarios: selection === 'all' ? all : all.filter((s) => !PENDING_2025.has(s)),
    scored: new Set(all.filter((s) => !PENDING_2025.has(s))),
    suiteArgs: ['--suite', selection],
    scenarioArgs: (name) => ['--scenario', name],
  };
}

interface Requirements {
  server?: unknown;
  not_scored?: unknown;
}

/** The `server` list (required) and the server-leg `not_scored` entries (run, shown, not counted). */
export function readRequirements(file: string): { required: string[]; extra: string[] } {
  const doc = parse(readFileSync(file, 'utf8')) as Requirements;
  const required = Array.isArray(doc.server) ? doc.server.filter((s): s is string => typeof s === 'string') : [];
  const extra = (Array.isArray(doc.not_scored) ? doc.not_scored : [])
    .filter((e): e is { scenario: string; leg: string } => typeof e === 'object' && e !== null && (e as { leg?: unknown }).leg === 'server')
    .map((e) => e.scenario);
  if (required.length === 0) throw new Error(`${file}: no server scenarios listed`);
  return { required, extra };
}
