// `npm run bench` — direct vs through-the-gateway latency and throughput, in one run on loopback.
// Targets (see bench/lib/targets.ts): A everything-direct, B gateway-everything-stdio,
// C echo-direct (the floor), D gateway-echo-http. Rounds are interleaved (every target once per
// round, start position rotating) so slow drift of a shared 2-core box hits all targets alike;
// the report gives medians across rounds and the gateway/direct ratios against their targets.
//
//   npm run bench -- [-n 300] [--rounds 3] [--sessions 20] [--concurrency 16] [--warmup 20]
//                    [--only A,C] [--quick] [--check] [--out bench/results] [--timeout 900]
//                    [--gateway-log-level warn]
//   --quick   smoke run: n=40, 1 round, 5 sessions, 5 warm-up calls (explicit flags still win)
//   --check   exit 1 when a ratio check FAILs (it always exits 1 when a target could not be measured)
// Writes <out>/latest.json, <out>/latest.md and timestamped copies bench-<stamp>.{json,md}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runRound, type DriverOptions } from './lib/driver.js';
import { Supervisor } from './lib/procs.js';
import { loadavg, machineFacts, medianRow, ratioChecks, toMarkdown, type Report, type TargetOutcome } from './lib/report.js';
import { selectTargets, type TargetContext, type TargetSpec } from './lib/targets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Settings extends DriverOptions {
  rounds: number;
  only?: string;
  check: boolean;
  out: string;
  timeoutS: number;
  gatewayLogLevel: string;
}

function parseSettings(argv: string[]): Settings {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      calls: { type: 'string', short: 'n' },
      rounds: { type: 'string' },
      sessions: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(ROOT, 'bench/results') },
      timeout: { type: 'string', default: '900' },
      'gateway-log-level': { type: 'string', default: 'warn' },
    },
  });
  const q = v.quick;
  const int = (raw: string | undefined, dflt: number, name: string, min = 1): number => {
    const n = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const calls = int(v.calls, q ? 40 : 300, 'n');
  return {
    calls,
    rounds: int(v.rounds, q ? 1 : 3, 'rounds'),
    sessions: int(v.sessions, q ? 5 : 20, 'sessions'),
    concurrency: int(v.concurrency, 16, 'concurrency'),
    warmup: int(v.warmup, q ? 5 : 20, 'warmup', 0),
    listCalls: Math.max(5, Math.round(calls / 10)),
    requestTimeoutMs: 15_000,
    only: v.only,
    check: v.check,
    out: path.resolve(v.out),
    timeoutS: int(v.timeout, 900, 'timeout'),
    gatewayLogLevel: v['gateway-log-level'],
  };
}

async function startTargets(specs: TargetSpec[], ctx: TargetContext): Promise<Map<TargetSpec, TargetOutcome>> {
  const outcomes = new Map<TargetSpec, TargetOutcome>();
  for (const t of specs) {
    const o: TargetOutcome = { id: t.id, name: t.name, description: t.description, rounds: [], roundErrors: [] };
    outcomes.set(t, o);
    try {
      const running = await t.start(ctx);
      o.details = { url: running.url, ...running.details };
      if (running.headers) o.headers = running.headers;
      log(`started ${t.id} ${t.name} at ${running.url}`);
    } catch (err) {
      o.startError = (err as Error).message;
      log(`cannot start ${t.id} ${t.name}: ${o.startError}`);
    }
  }
  return outcomes;
}

async function runRounds(outcomes: Map<TargetSpec, TargetOutcome>, s: Settings): Promise<void> {
  const live = [...outcomes].filter(([, o]) => !o.startError);
  for (let r = 0; r < s.rounds; r++) {
    // Rotate the starting target each round so no target always runs first (or last).
    const order = live.map((_, i) => live[(i + r) % live.length]!);
    for (const [t, o] of order) {
      const url = String(o.details?.url);
      try {
        const res = await runRound(url, s, o.headers);
        o.rounds.push(res);
        log(
          `round ${r + 1}/${s.rounds} ${t.id} ${t.name}: call p50 ${res.sequential.p50.toFixed(2)} ms, ` +
            `c=${s.concurrency} ${res.concurrent.rps.toFixed(0)} calls/s, setup p50 ${res.setup.p50.toFixed(2)} ms` +
            (res.errors ? `, ${res.errors} errors` : ''),
        );
      } catch (err) {
        o.roundErrors.push(`round ${r + 1}: ${(err as Error).message}`);
        log(`round ${r + 1} ${t.id} ${t.name} failed: ${(err as Error).message}`);
      }
    }
  }
}

function writeReport(report: Report, outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true });
  const md = toMarkdown(report);
  // `headers` hold a bearer token: never written out.
  const json = `${JSON.stringify(report, (k, val) => (k === 'headers' ? undefined : typeof val === 'number' ? (Number.isFinite(val) ? Math.round(val * 1000) / 1000 : null) : val), 2)}\n`;
  const stamp = report.when.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  for (const base of ['latest', `bench-${stamp}`]) {
    fs.writeFileSync(path.join(outDir, `${base}.json`), json);
    fs.writeFileSync(path.join(outDir, `${base}.md`), md);
  }
  return md;
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function main(): Promise<number> {
  const s = parseSettings(process.argv.slice(2));
  const specs = selectTargets(s.only);
  const sup = new Supervisor();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmcp-bench-'));
  let failed = false;
  const abort = (why: string, code: number) => {
    log(`${why}: stopping all child processes`);
    void sup.stopAll().finally(() => {
      fs.rmSync(workDir, { recursive: true, force: true });
      process.exit(code);
    });
    setTimeout(() => {
      sup.killAllSync();
      process.exit(code);
    }, 5000).unref();
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  const watchdog = setTimeout(() => abort(`overall timeout ${s.timeoutS}s`, 124), s.timeoutS * 1000);
  watchdog.unref();
  try {
    const when = new Date().toISOString();
    const machine = machineFacts();
    const outcomes = await startTargets(specs, { sup, root: ROOT, workDir, gatewayLogLevel: s.gatewayLogLevel });
    await runRounds(outcomes, s);
    const targets = [...outcomes.values()];
    for (const o of targets) o.median = medianRow(o.rounds);
    machine.loadavgEnd = loadavg();
    const settings = {
      rounds: s.rounds,
      calls: s.calls,
      sessions: s.sessions,
      concurrency: s.concurrency,
      warmup: s.warmup,
      listCalls: s.listCalls,
    };
    const report: Report = { when, machine, settings, targets, ratios: ratioChecks(targets) };
    process.stdout.write(`\n${writeReport(report, s.out)}\n`);
    log(`wrote ${path.relative(process.cwd(), path.join(s.out, 'latest.md'))} and latest.json`);
    failed = targets.some((o) => o.startError || o.roundErrors.length || !o.median || o.median.errors > 0);
    const ratioFail = report.ratios.some((c) => c.status === 'FAIL');
    return failed || (s.check && ratioFail) ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await sup.stopAll();
    if (failed) log(`child logs kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`error: ${(err as Error).stack ?? err}`);
    process.exit(2);
  },
);
