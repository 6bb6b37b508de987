// `npm run conformance`: runs the MCP conformance server suite (@modelcontextprotocol/conformance,
// pinned) against the project's conformance backend directly, then through the gateway once per
// backend transport, and prints the results side by side.
//
// Exit 1 when the direct run is not 100% on the active suite, or when a scenario that passes
// directly fails through the gateway without being listed in expected-failures.md.
//
//   tsx test/conformance/run.ts [--backend-transport stdio|streamable-http|sse|all] [--suite active|all]
//                               [--direct-only] [--json FILE] [--results DIR] [--timeout SECONDS]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCleanup } from './lib/children.js';
import { ensureSuite, SUITE_VERSION, type SuiteTool } from './lib/install.js';
import { counts, failureDetails, readExpectedFailures, scenarioOrder, summaryLine, table, verdict, type Column } from './lib/report.js';
import { runSuite, type Suite } from './lib/suite.js';
import { BACKEND_TRANSPORTS, gatewayBuilt, startBackend, startGateway, type BackendTransport, type Target } from './lib/targets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

interface Options {
  transports: BackendTransport[];
  suite: Suite;
  directOnly: boolean;
  json?: string;
  results: string;
  timeoutS: number;
  gatewayPath: string;
}

const USAGE = `usage: tsx test/conformance/run.ts [options]
  --backend-transport T   stdio | streamable-http | sse | all (default all): one gateway run per transport
  --suite S               active (default) | all (adds the pending scenarios)
  --direct-only           only run the suite against the backend itself
  --json FILE             also write the results as JSON
  --results DIR           where the suite writes checks.json files (default test/conformance/results)
  --timeout SECONDS       bound for the whole run (default 900)
  --gateway-path PATH     MCP endpoint path on the gateway (default /mcp)`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    transports: [...BACKEND_TRANSPORTS],
    suite: 'active',
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
    if (flag === '--backend-transport') {
      const v = value();
      if (v === 'all') o.transports = [...BACKEND_TRANSPORTS];
      else if ((BACKEND_TRANSPORTS as readonly string[]).includes(v)) o.transports = [v as BackendTransport];
      else usage(`unknown --backend-transport ${v}`);
    } else if (flag === '--suite') {
      const v = value();
      if (v !== 'active' && v !== 'all') usage(`unknown --suite ${v}`);
      o.suite = v;
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

function usage(msg: string): never {
  process.stderr.write(`conformance: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const log = (msg: string): void => void process.stderr.write(`[conformance] ${msg}\n`);

/** Starts a target, runs the suite against it, stops it: one column of the table. */
async function measure(label: string, tool: SuiteTool, o: Options, deadline: number, startTarget: () => Promise<Target>): Promise<Column> {
  let target: Target | undefined;
  try {
    target = await startTarget();
    log(`${label}: running the ${o.suite} suite against ${target.url}`);
    const run = await runSuite(tool, target.url, {
      suite: o.suite,
      outDir: join(o.results, label.replace(/[()]/g, '-').replace(/-$/, '')),
      timeoutMs: 240_000,
      scenarioTimeoutMs: 45_000,
      deadline,
    });
    const { passed, total } = counts({ label, run }, scenarioOrder([{ label, run }]));
    log(`${label}: ${passed}/${total} in ${(run.ms / 1000).toFixed(1)} s${run.notes.length ? ` (${run.notes.join('; ')})` : ''}`);
    return { label, run };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    log(`${label}: ${error}`);
    return { label, error };
  } finally {
    for (const problem of (await target?.close()) ?? []) log(`${label}: ${problem}`);
  }
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + o.timeoutS * 1000;
  installCleanup(o.timeoutS * 1000 + 30_000); // hard stop, a little after the soft deadline
  mkdirSync(o.results, { recursive: true });
  const tool = await ensureSuite(ROOT, log);
  log(`@modelcontextprotocol/conformance@${SUITE_VERSION}, ${o.suite} suite, node ${tool.node}`);

  const columns: Column[] = [await measure('direct', tool, o, deadline, () => startBackend(ROOT, 'streamable-http'))];
  if (!o.directOnly) {
    for (const t of o.transports) {
      const label = `gateway(${t})`;
      if (!gatewayBuilt(ROOT)) {
        columns.push({ label, error: 'gateway not built: dist/cli/main.js is missing (run `npm run build`)' });
        continue;
      }
      columns.push(await measure(label, tool, o, deadline, () => startGateway(ROOT, t, { startTimeoutMs: 30_000, path: o.gatewayPath })));
    }
  }

  const expectedFile = join(HERE, 'expected-failures.md');
  const expected = readExpectedFailures(expectedFile);
  const { problems, stale } = verdict(columns, expected);
  const details = failureDetails(columns);
  process.stdout.write(`\n${table(columns, expected)}\n\n`);
  if (details.length) process.stdout.write(`first failure per failing scenario:\n${details.join('\n')}\n\n`);
  for (const s of stale) process.stdout.write(`note: ${s} (remove it from expected-failures.md)\n`);
  for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
  process.stdout.write(`${summaryLine(columns)}\n`);
  if (o.json) writeJson(o, columns, problems);
  return problems.length ? 1 : 0;
}

function writeJson(o: Options, columns: Column[], problems: string[]): void {
  const names = scenarioOrder(columns);
  const runs = Object.fromEntries(
    columns.map((c) => [
      c.label,
      {
        ...counts(c, names),
        error: c.error,
        ms: c.run?.ms,
        scenarios: Object.fromEntries([...(c.run?.scenarios ?? [])]),
      },
    ]),
  );
  mkdirSync(dirname(o.json ?? '.'), { recursive: true });
  writeFileSync(
    o.json ?? '',
    `${JSON.stringify({ suiteVersion: SUITE_VERSION, suite: o.suite, runs, problems, ok: problems.length === 0 }, null, 2)}\n`,
  );
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
