// Code mode benchmark: does a runaway script disturb the gateway's event loop, and what does a
// sandbox cost to start? Run after `npm run build` (it measures the built code, as the CLI runs it):
//
//   npm run build && npx tsx bench/codemode/run.ts [--samples 400] [--from dist|src] [--out bench/codemode/results]
//
// 1. Canary: a timer that should fire every 2 ms on the main loop, its lateness (p50/p99/max)
//    measured idle, with one and with two `while (true) {}` scripts spinning in the sandbox, and
//    — for contrast — while the same interpreter spins on the main thread itself.
// 2. Start cost: cold (a new CodeMode: worker thread + WebAssembly module + first script) and
//    warm (a trivial script on a started worker: fresh QuickJS runtime and context, one tool call).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round, summarize, type LatencySummary } from '../lib/stats.js';
import { onMainThread } from './main-thread.js';

type CodeModeModule = typeof import('../../src/codemode/index.js');
type ConfigModule = typeof import('../../src/config/schema-codemode.js');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '400' },
    from: { type: 'string', default: 'dist' },
    out: { type: 'string', default: path.join(ROOT, 'bench/codemode/results') },
  },
});
const SAMPLES = Number(args.samples);
const BASE = args.from === 'src' ? path.join(ROOT, 'src') : path.join(ROOT, 'dist');
const ext = args.from === 'src' ? 'ts' : 'js';
const { CodeMode } = (await import(path.join(BASE, `codemode/index.${ext}`))) as CodeModeModule;
const { resolveCodeMode } = (await import(path.join(BASE, `config/schema-codemode.${ext}`))) as ConfigModule;

const host = {
  tools: () => [{ name: 'echo', inputSchema: { type: 'object' } }],
  callTool: async (_name: string, a: Record<string, unknown>) => ({ content: [{ type: 'text', text: JSON.stringify(a) }] }),
};
const INTERVAL_MS = 2;

/** Lateness of a 2 ms timer, `SAMPLES` times in a row. */
async function canary(): Promise<LatencySummary> {
  const late: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    late.push(performance.now() - start - INTERVAL_MS);
  }
  return summarize(late);
}

/** The canary while `scripts` runaway scripts keep the sandbox workers busy. */
async function canaryWhileSpinning(scripts: number): Promise<LatencySummary> {
  const codeMode = new CodeMode(resolveCodeMode({ workers: scripts, stepLimit: 1e15, scriptTimeout: '10m' }));
  await codeMode.warm();
  const stop = new AbortController();
  const spinning = Array.from({ length: scripts }, () => codeMode.execute({ script: 'while (true) {}' }, host, { signal: stop.signal }));
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the scripts get going
  const result = await canary();
  stop.abort();
  await Promise.all(spinning);
  await codeMode.close();
  return result;
}

async function startCost(): Promise<{ coldMs: number[]; warm: LatencySummary }> {
  const coldMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const codeMode = new CodeMode(resolveCodeMode({ workers: 1 }));
    await codeMode.execute({ script: 'return 1' }, host);
    coldMs.push(round(performance.now() - started, 1));
    await codeMode.close();
  }
  const codeMode = new CodeMode(resolveCodeMode({ workers: 1 }));
  await codeMode.warm();
  const warm: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await codeMode.execute({ script: 'return await tools.echo({ i: data.i })', data: { i } }, host);
    warm.push(performance.now() - started);
  }
  await codeMode.close();
  return { coldMs, warm: summarize(warm.slice(Math.floor(SAMPLES / 4))) }; // first quarter: V8 tiering up
}

const rounded = (s: LatencySummary) => ({ count: s.count, p50: round(s.p50), p99: round(s.p99), max: round(s.max) });

const report = {
  when: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadavg: os.loadavg().map((l) => round(l)),
  from: args.from,
  canaryLatenessMs: {
    idle: rounded(await canary()),
    oneRunawayScript: rounded(await canaryWhileSpinning(1)),
    twoRunawayScripts: rounded(await canaryWhileSpinning(2)),
    sameInterpreterOnMainThread: rounded(await onMainThread(canary)),
  },
  start: await startCost().then(({ coldMs, warm }) => ({ coldMs, warmMs: rounded(warm) })),
};

await mkdir(args.out, { recursive: true });
await writeFile(path.join(args.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
const md = [
  `# code mode benchmark (${report.when}, Node ${report.node}, ${report.cpus} cores, load ${report.loadavg.join(' ')})`,
  '',
  '| canary: lateness of a 2 ms timer on the main loop | p50 ms | p99 ms | max ms |',
  '|---|---|---|---|',
  ...Object.entries(report.canaryLatenessMs).map(([k, s]) => `| ${k} | ${s.p50} | ${s.p99} | ${s.max} |`),
  '',
  `Cold start (new CodeMode, first script), 5 runs: ${report.start.coldMs.join(', ')} ms.`,
  `Warm script (one tool call), p50 ${report.start.warmMs.p50} ms, p99 ${report.start.warmMs.p99} ms (n=${report.start.warmMs.count}).`,
  '',
].join('\n');
await writeFile(path.join(args.out, 'latest.md'), md);
process.stdout.write(md);
