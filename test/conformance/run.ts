// `npm run conformance`: runs the MCP conformance server suites (@modelcontextprotocol/conformance,
// pinned: the 2025-11-25 suite and the 2026-07-28 requirements, lib/suites.ts) against the project's
// conformance backend directly, then through the gateway once per backend transport, and prints
// the results side by side, one table per suite.
//
// Exit 1 when a direct run is not 100% on its suite's scored scenarios, when a scenario that passes
// directly fails through the gateway without being listed in that suite's expected-failures file,
// or when such a file has an entry without a reason, naming nothing real, or stale (it passes).
//
//   tsx test/conformance/run.ts [--revision 2025|2026|all] [--backend-transport T|all] [--suite active|all]
//                               [--direct-only] [--json FILE] [--results DIR] [--timeout SECONDS]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCleanup } from './lib/children.js';
import { ensureSuites } from './lib/install.js';
import { counts, failureDetails, readExpectedFailures, summaryLine, table, verdict, type Column } from './lib/report.js';
import { runSuite } from './lib/suite.js';
import { REVISIONS, type Revision, type SuiteSelection, type SuiteTool } from './lib/suites.js';
import { BACKEND_TRANSPORTS, gatewayBuilt, startBackend, startGateway, type BackendTransport, type Target } from './lib/targets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

/**
 * The gateway targets each suite runs through by default. The 2025 suite needs the 2025-era
 * contract (server->client requests, sessions), which only the 2025-era leg has. The 2026 suite
 * runs against a backend the gateway talks 2026-07-28 to, and against a 2025-era one (the gateway
 * bridges input_required to mid-call requests); stdio and sse add little to the latter and are
 * run with --backend-transport all.
 */
const DEFAULT_TARGETS: Record<Revision, readonly BackendTransport[]> = {
  '2025': ['stdio', 'streamable-http', 'sse'],
  '2026': ['streamable-http', 'streamable-http-2026'],
};
const ALL_TARGETS: Record<Revision, readonly BackendTransport[]> = {
  '2025': DEFAULT_TARGETS['2025'],
  '2026': BACKEND_TRANSPORTS,
};

interface Options {
  revisions: Revision[];
  targets: Record<Revision, readonly BackendTransport[]>;
  selection: SuiteSelection;
  directOnly: boolean;
  json?: string;
  results: string;
  timeoutS: number;
  gatewayPath: string;
}

const USAGE = `usage: tsx test/conformance/run.ts [options]
  --revision R            2025 | 2026 | all (default all): which suites to run
  --backend-transport T   stdio | streamable-http | sse | streamable-http-2026 | all: gateway runs
                          (default: 2025 suite over stdio, streamable-http, sse; 2026 suite over
                          streamable-http and streamable-http-2026, i.e. the backend pinned to 2026-07-28)
  --suite S               2025 suite: active (default) | all (adds the pending scenarios)
  --direct-only           only run the suites against the backend itself
  --json FILE             also write the results as JSON
  --results DIR           where the suites write checks.json files (default test/conformance/results)
  --timeout SECONDS       bound for the whole run (default 900)
  --gateway-path PATH     MCP endpoint path on the gateway (default /mcp)`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    revisions: [...REVISIONS],
    targets: DEFAULT_TARGETS,
    selection: 'active',
    directOnly: false,
    results: join(HERE, 'results'),
    timeoutS: 900,
    gatewayPath: '/mcp',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--revision') o.revisions = parseRevision(value());
    else if (flag === '--backend-transport') o.targets = parseTargets(value());
    else if (flag === '--suite') {
      const v = value();
      if (v !== 'active' && v !== 'all') usage(`unknown --suite ${v}`);
      o.selection = v;
    } else if (flag === '--direct-only') o.directOnly = true;
    else if (flag === '--json') o.json = resolve(value());
    else if (flag === '--results') o.results = resolve(value());
    else if (flag === '--timeout') o.timeoutS = Number(value());
    else if (flag === '--gateway-path') o.gatewayPath = value();
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else usage(`unknown argument ${arg}`);
  }
  if (!Number.isFinite(o.timeoutS) || o.timeoutS <= 0) usage('--timeout must be a positive number of seconds');
  return o;
}

function parseRevision(v: string): Revision[] {
  if (v === 'all') return [...REVISIONS];
  if (!(REVISIONS as readonly string[]).includes(v)) usage(`unknown --revision ${v}`);
  return [v as Revision];
}

function parseTargets(v: string): Record<Revision, readonly BackendTransport[]> {
  if (v === 'all') return ALL_TARGETS;
  if (!(BACKEND_TRANSPORTS as readonly string[]).includes(v)) usage(`unknown --backend-transport ${v}`);
  const only = (r: Revision): BackendTransport[] => ALL_TARGETS[r].filter((t) => t === v);
  return { '2025': only('2025'), '2026': only('2026') };
}

function usage(msg: string): never {
  process.stderr.write(`conformance: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const log = (msg: string): void => void process.stderr.write(`[conformance] ${msg}\n`);

/** Runs the given suites against one started target, one after the other: a column per suite. */
async function measure(
  label: string,
  target: BackendTransport | undefined,
  tools: SuiteTool[],
  o: Options,
  deadline: number,
  startTarget: () => Promise<Target>,
): Promise<Map<Revision, Column>> {
  const columns = new Map<Revision, Column>();
  let started: Target | undefined;
  try {
    started = await startTarget();
    for (const tool of tools) columns.set(tool.def.revision, await measureOne(label, target, tool, started.url, o, deadline));
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    log(`${label}: ${error}`);
    for (const tool of tools) if (!columns.has(tool.def.revision)) columns.set(tool.def.revision, { label, target, error });
  } finally {
    for (const problem of (await started?.close()) ?? []) log(`${label}: ${problem}`);
  }
  return columns;
}

async function measureOne(label: string, target: BackendTransport | undefined, tool: SuiteTool, url: string, o: Options, deadline: number) {
  const title = tool.def.title;
  log(`${label}: running the ${title} suite against ${url}`);
  const run = await runSuite(tool, url, {
    outDir: join(o.results, tool.def.revision, label.replace(/[()]/g, '-').replace(/-$/, '')),
    timeoutMs: 240_000,
    scenarioTimeoutMs: 45_000,
    deadline,
  });
  const column: Column = { label, target, run };
  const { passed, total } = counts(column, tool);
  const notes = run.notes.length ? ` (${run.notes.join('; ')})` : '';
  log(`${label}: ${title} ${passed}/${total} scored in ${(run.ms / 1000).toFixed(1)} s${notes}`);
  return column;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + o.timeoutS * 1000;
  installCleanup(o.timeoutS * 1000 + 30_000); // hard stop, a little after the soft deadline
  mkdirSync(o.results, { recursive: true });
  const installed = await ensureSuites(ROOT, o.selection, log);
  const tools = o.revisions.map((r) => installed.suites[r]);
  for (const t of tools) log(`${t.def.title}: @modelcontextprotocol/conformance@${t.def.version}, ${t.scenarios.length} scenarios`);
  log(`node ${installed.node}`);

  const columns = new Map<Revision, Column[]>(o.revisions.map((r) => [r, []]));
  const add = (found: Map<Revision, Column>): void => {
    for (const [r, c] of found) columns.get(r)?.push(c);
  };
  add(await measure('direct', undefined, tools, o, deadline, () => startBackend(ROOT, 'streamable-http')));
  for (const t of o.directOnly ? [] : BACKEND_TRANSPORTS) {
    const label = `gateway(${t})`;
    const want = tools.filter((tool) => o.targets[tool.def.revision].includes(t));
    if (want.length === 0) continue;
    if (!gatewayBuilt(ROOT)) {
      add(new Map(want.map((tool) => [tool.def.revision, { label, target: t, error: 'gateway not built: dist/cli/main.js is missing' }])));
      continue;
    }
    add(await measure(label, t, want, o, deadline, () => startGateway(ROOT, t, { startTimeoutMs: 30_000, path: o.gatewayPath })));
  }
  return report(tools, columns, o);
}

function report(tools: SuiteTool[], columns: Map<Revision, Column[]>, o: Options): number {
  const problems: string[] = [];
  const summaries: string[] = [];
  const json: Record<string, unknown> = {};
  for (const tool of tools) {
    const cols = columns.get(tool.def.revision) ?? [];
    const file = tool.def.expectedFile;
    const entries = readExpectedFailures(join(HERE, file));
    const found = verdict(cols, entries, tool, file);
    const details = failureDetails(cols, entries, tool);
    process.stdout.write(`\n== ${tool.def.title} (@modelcontextprotocol/conformance@${tool.def.version}, expected failures: ${file})\n`);
    process.stdout.write(`${table(cols, entries, tool)}\n\n`);
    if (details.length) process.stdout.write(`first failure per failing scenario:\n${details.join('\n')}\n`);
    problems.push(...found);
    summaries.push(summaryLine(cols, tool));
    json[tool.def.revision] = jsonOf(tool, cols, found);
  }
  process.stdout.write('\n');
  for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
  process.stdout.write(`${summaries.join('\n')}\n`);
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, `${JSON.stringify({ suites: json, problems, ok: problems.length === 0 }, null, 2)}\n`);
  }
  return problems.length ? 1 : 0;
}

function jsonOf(tool: SuiteTool, cols: Column[], problems: string[]): Record<string, unknown> {
  const runs = Object.fromEntries(
    cols.map((c) => [
      c.label,
      { ...counts(c, tool), error: c.error, ms: c.run?.ms, scenarios: Object.fromEntries([...(c.run?.scenarios ?? [])]) },
    ]),
  );
  return { suiteVersion: tool.def.version, scored: [...tool.scored], runs, problems, ok: problems.length === 0 };
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
