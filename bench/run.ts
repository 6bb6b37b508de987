// `npm run bench` — direct vs through-the-gateway vs peer gateways, latency and throughput, in one
// run on loopback. Targets (see bench/lib/targets.ts): A everything-direct, B gateway-everything-stdio,
// C echo-direct (the floor), D gateway-echo-http, E D with auth, F mcp-hub and G mcp-proxy over the
// same stdio server-everything, H B over HTTP+SSE, P D's hop through a proxy with no logic. Rounds
// are interleaved (every target once per round, start position rotating) so slow drift of a shared
// 2-core box hits all targets alike; the report gives medians across rounds and the ratios against
// their targets. Suites: S scale (bench/lib/scale.ts), W warning count (bench/lib/warnings.ts),
// M heap per idle session (bench/lib/idle-sessions.ts), K composite-tool overhead
// (bench/lib/composite.ts), X code mode (bench/lib/codemode.ts), T telemetry cost
// (bench/lib/telemetry.ts).
//
//   npm run bench -- [-n 300] [--rounds 3] [--sessions 20] [--concurrency 16] [--per-worker 250]
//                    [--warmup 20] [--prime 1000] [--only A,C,S,W,M] [--quick] [--check]
//                    [--out bench/results] [--timeout 900] [--gateway-log-level warn] [--cpu-prof]
//                    [--scale-sizes 10,50,100] [--scale-rounds 2] [--warning-calls 20000]
//                    [--vmcp-root DIR]
//   --per-worker  the least calls each of the --concurrency workers makes (the concurrent phase's length)
//   --prime       unmeasured calls per target before round 1 (every process compiles its hot path first)
//   --quick       smoke run: n=40, 1 round, 5 sessions, 5 warm-up calls, 5 calls per worker, no priming,
//                 scale sizes 10,50, 2,000 warning calls (explicit flags still win)
//   --check       exit 1 when a ratio check FAILs (it always exits 1 when a target could not be measured)
//   --cpu-prof    run gateway D (or --cpu-prof-target B) under `node --cpu-prof`; its top frames go to <out>/cpu-profile-latest.md
//   --vmcp-root   take vmcp's bin/ and dist/ from DIR (a build of another commit: before/after runs)
// Writes <out>/latest.json, <out>/latest.md and timestamped copies bench-<stamp>.{json,md}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { runComposite } from './lib/composite.js';
import { summarizeProfile } from './lib/cpu-profile.js';
import { runIdleSessions } from './lib/idle-sessions.js';
import { prime, runRound } from './lib/driver.js';
import { cpuNanos, settle, Supervisor } from './lib/procs.js';
import { summarizeScale } from './lib/report-extra.js';
import { loadavg, machineFacts, medianRow, ratioChecks, toMarkdown, type Report, type TargetOutcome } from './lib/report.js';
import { LIST_FETCHES, runScale } from './lib/scale.js';
import { runTelemetry } from './lib/telemetry.js';
import { runSessionStorage } from './lib/session-storage.js';
import { parseSettings, type Settings, type SuiteId } from './lib/settings.js';
import { selectTargets, type TargetContext, type TargetSpec } from './lib/targets.js';
import { runWarnings } from './lib/warnings.js';
import { runCodeMode } from './lib/codemode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The gateway processes of started targets (to stop D early and collect its CPU profile). */
const procs = new Map<TargetSpec, ChildProcess>();
/** The process each target's CPU per call is read from (its gateway, or the server of a direct target). */
const cpuPids = new Map<TargetSpec, number>();

async function startTargets(specs: TargetSpec[], ctx: TargetContext): Promise<Map<TargetSpec, TargetOutcome>> {
  const outcomes = new Map<TargetSpec, TargetOutcome>();
  for (const t of specs) {
    const o: TargetOutcome = { id: t.id, name: t.name, description: t.description, rounds: [], roundErrors: [] };
    outcomes.set(t, o);
    try {
      const running = await t.start(ctx);
      if (running.proc) procs.set(t, running.proc);
      if (running.pid !== undefined) cpuPids.set(t, running.pid);
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
  for (const [t, o] of live) {
    try {
      await prime(String(o.details?.url), s, s.prime, o.headers, t.client);
      if (s.prime > 0) log(`primed ${t.id} ${t.name} with ${s.prime} unmeasured calls`);
    } catch (err) {
      o.roundErrors.push(`priming: ${(err as Error).message}`);
    }
  }
  for (let r = 0; r < s.rounds; r++) {
    // Rotate the starting target each round so no target always runs first (or last).
    const order = live.map((_, i) => live[(i + r) % live.length]!);
    for (const [t, o] of order) {
      const url = String(o.details?.url);
      try {
        const pid = cpuPids.get(t);
        const res = await runRound(url, s, o.headers, t.client, pid === undefined ? undefined : () => cpuNanos(pid));
        o.rounds.push(res);
        // The next target is measured on a machine this one's teardown no longer keeps busy.
        const waited = await settle([...cpuPids.values()]);
        if (waited > 1000) log(`waited ${waited} ms for the processes to settle after ${t.id}`);
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

/** Stop gateway D (it writes its profile on exit) and summarise the profile into `out`. */
async function cpuProfile(sup: Supervisor, profDir: string, out: string, stamp: string, target: string): Promise<string | undefined> {
  const d = [...procs].find(([t]) => t.id === target);
  if (!d) return undefined;
  await sup.stop(d[1], 10_000);
  const file = fs.existsSync(profDir) ? fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (!file) return undefined;
  // The raw profile (megabytes) stays out of bench/results: it goes to the temp dir, named in the summary.
  const raw = path.join(os.tmpdir(), `vmcp-cpu-profile-${stamp}.cpuprofile`);
  fs.copyFileSync(path.join(profDir, file), raw);
  const title =
    target === 'B' ? 'gateway B: vmcp → server-everything over stdio' : 'the floor case (gateway D: vmcp → echo.mjs over Streamable HTTP)';
  const md = summarizeProfile(raw, ROOT, title);
  fs.mkdirSync(out, { recursive: true });
  for (const base of ['cpu-profile-latest', `cpu-profile-${stamp}`]) fs.writeFileSync(path.join(out, `${base}.md`), md);
  return path.relative(ROOT, path.join(out, 'cpu-profile-latest.md'));
}

type SuiteRunner = (ctx: TargetContext, s: Settings, workDir: string) => Promise<Partial<Report> & Record<string, unknown>>;

/** Each suite's part of the report, in the order they run. */
const SUITE_RUNNERS: Record<SuiteId, SuiteRunner> = {
  W: async (ctx, s) => (log(`warning count: ${s.warningCalls} calls`), { warnings: await runWarnings(ctx, s.warningCalls, s.concurrency) }),
  M: async (ctx) => (log('heap per idle session'), { idleSessions: await runIdleSessions(ctx) }),
  K: async (ctx, s) => (log(`composite overhead: ${s.calls} samples`), { composite: await runComposite(ctx, s.calls, s.warmup) }),
  X: async (ctx, s) => (log('code mode'), { codeMode: await runCodeMode(ctx, s.calls, log) }),
  T: async (ctx, s) => ({ telemetry: await runTelemetry(ctx, s, log) }),
  S: async (ctx, s) => {
    const scale = await runScale(
      ctx,
      { sizes: s.scaleSizes, tools: 50, rounds: s.scaleRounds, listFetches: LIST_FETCHES, timeoutMs: 120_000 },
      log,
    );
    return { scale: { ...scale, summary: summarizeScale(scale) } };
  },
  R: async (_ctx, s, workDir) => ({ sessionStorage: await runSessionStorage(ROOT, workDir, s.calls, log) }),
};
const SUITES: readonly SuiteId[] = ['W', 'M', 'K', 'X', 'T', 'S', 'R'];

/** Targets first (interleaved rounds), then the suites on a quiet machine (targets stopped). */
async function measureAll(s: Settings, sup: Supervisor, workDir: string, when: string): Promise<Report> {
  const machine = machineFacts();
  const profDir = path.join(workDir, 'cpu-prof');
  const ctx: TargetContext = {
    sup,
    root: ROOT,
    workDir,
    gatewayLogLevel: s.gatewayLogLevel,
    ...(s.vmcpRoot ? { gatewayRoot: s.vmcpRoot } : {}),
  };
  if (s.cpuProf) Object.assign(ctx, { profileFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`], profileTarget: s.cpuProfTarget });
  const outcomes = await startTargets(selectTargets(s.only), ctx);
  await runRounds(outcomes, s);
  const targets = [...outcomes.values()];
  for (const o of targets) o.median = medianRow(o.rounds);
  const stamp = when.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const cpu = s.cpuProf ? await cpuProfile(sup, profDir, s.out, stamp, s.cpuProfTarget) : undefined;
  await sup.stopAll();
  const report: Report = { when, machine, settings: {}, targets, ratios: ratioChecks(targets), ...(cpu ? { cpuProfile: cpu } : {}) };
  // The suites run one after another on the quiet machine, each stopping what it started.
  const quiet = { ...ctx, profileFlags: [] };
  for (const id of SUITES) {
    if (!s.suites.includes(id)) continue;
    Object.assign(report, await SUITE_RUNNERS[id](quiet, s, workDir));
    await sup.stopAll();
  }
  machine.loadavgEnd = loadavg();
  const { rounds, calls, sessions, concurrency, perWorker, warmup, listCalls, prime: primed } = s;
  report.settings = {
    rounds,
    calls,
    sessions,
    concurrency,
    perWorker,
    warmup,
    prime: primed,
    listCalls,
    ...(s.vmcpRoot ? { vmcpRoot: s.vmcpRoot } : {}),
  };
  return report;
}

function failures(r: Report): boolean {
  const targets = r.targets.some((o) => o.startError || o.roundErrors.length || !o.median || o.median.errors > 0);
  const warnings = r.warnings !== undefined && (r.warnings.errors > 0 || r.warnings.processWarnings > 0);
  const extras = (r.composite?.errors ?? 0) + (r.codeMode?.errors ?? 0) + (r.telemetry?.errors.length ?? 0);
  return targets || warnings || extras > 0 || (r.scale?.errors.length ?? 0) > 0;
}

async function main(): Promise<number> {
  const s = parseSettings(process.argv.slice(2), ROOT);
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
    const report = await measureAll(s, sup, workDir, new Date().toISOString());
    process.stdout.write(`\n${writeReport(report, s.out)}\n`);
    log(`wrote ${path.relative(process.cwd(), path.join(s.out, 'latest.md'))} and latest.json`);
    failed = failures(report);
    const ratioFail = [...report.ratios, ...(report.scale?.summary?.ratios ?? []), ...(report.telemetry?.ratios ?? [])].some(
      (c) => c.status === 'FAIL',
    );
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
