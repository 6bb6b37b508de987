// The scale suite (`--only S`): one fixture process hosting N Streamable HTTP backends × 50 tools
// (bench/fixtures/many-backends.mjs); vmcp at each size in `sizes` and mcp-hub at the largest,
// interleaved per round. Measured: start-up (spawn → the first complete tools/list a client gets),
// a full-list fetch (all pages) on a warm session, and the gateway's RSS after it.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { closeSession, openSession, type ClientKind, type Session } from './driver.js';
import { startHub } from './peers.js';
import { freePort, type Supervisor } from './procs.js';
import { vmcpBin } from './targets.js';
import { median } from './stats.js';

/** Full-list fetches per gateway and size, of which the median is reported (the box is noisy). */
export const LIST_FETCHES = 15;

export interface ScaleSettings {
  sizes: number[];
  tools: number;
  rounds: number;
  listFetches: number;
  timeoutMs: number;
}

export type ScaleGateway = 'vmcp' | 'mcp-hub';

export interface ScaleSample {
  gateway: ScaleGateway;
  backends: number;
  round: number;
  startupMs: number;
  listMs: number;
  tools: number;
  rssMiB: number;
}

export interface ScaleResult {
  settings: ScaleSettings;
  samples: ScaleSample[];
  errors: string[];
}

interface Ctx {
  sup: Supervisor;
  root: string;
  gatewayRoot?: string;
  workDir: string;
  gatewayLogLevel: string;
}

interface Started {
  url: string;
  pid: number;
  startedAt: number;
  stop: () => Promise<void>;
}

const FIXTURE = (root: string) => path.join(root, 'bench/fixtures/many-backends.mjs');

async function startVmcp(ctx: Ctx, base: string, n: number): Promise<Started> {
  const backends = Array.from({ length: n }, (_, i) => ({ name: `b${i}`, transport: 'streamable-http', url: `${base}/b/${i}/mcp` }));
  const config = { name: 'vmcp-bench-scale', backends, operational: { logLevel: ctx.gatewayLogLevel } };
  const file = path.join(ctx.workDir, `scale-vmcp-${n}.yaml`);
  fs.writeFileSync(file, stringify(config));
  const port = await freePort();
  const args = [vmcpBin(ctx), 'serve', '--config', file, '--host', '127.0.0.1', '--port', String(port)];
  const startedAt = performance.now();
  const { proc } = await ctx.sup.start({
    name: `scale-vmcp-${n}`,
    command: process.execPath,
    args,
    cwd: ctx.root,
    logFile: path.join(ctx.workDir, `scale-vmcp-${n}.log`),
  });
  return { url: `http://127.0.0.1:${port}/mcp`, pid: proc.pid!, startedAt, stop: () => ctx.sup.stop(proc) };
}

async function startMcpHub(ctx: Ctx, base: string, n: number): Promise<Started> {
  const servers = Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, { url: `${base}/b/${i}/mcp` }]));
  const hub = await startHub(ctx, `scale-mcp-hub-${n}`, servers);
  return { url: hub.url, pid: hub.pid, startedAt: hub.startedAt, stop: () => ctx.sup.stop(hub.proc) };
}

/** Every page of tools/list. */
async function listAll(s: Session, timeoutMs: number): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const r = await s.client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, { timeout: timeoutMs });
    count += r.tools.length;
    cursor = r.nextCursor;
  } while (cursor);
  return count;
}

/** Poll until a client can connect and sees every tool; the session is kept for the list timing. */
async function untilComplete(g: Started, kind: ClientKind, want: number, timeoutMs: number): Promise<Session> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const s = await openSession(g.url, 5000, undefined, kind);
      for (let seen = await listAll(s, timeoutMs); ; seen = await listAll(s, timeoutMs)) {
        if (seen >= want) return s;
        last = `${seen} of ${want} tools`;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await closeSession(s);
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no complete tools/list within ${timeoutMs} ms (last: ${last})`);
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function measure(ctx: Ctx, base: string, gateway: ScaleGateway, n: number, round: number, s: ScaleSettings): Promise<ScaleSample> {
  const g = gateway === 'vmcp' ? await startVmcp(ctx, base, n) : await startMcpHub(ctx, base, n);
  try {
    const want = n * s.tools;
    const session = await untilComplete(g, gateway === 'vmcp' ? 'streamable-http' : 'sse', want, s.timeoutMs);
    const startupMs = performance.now() - g.startedAt;
    const times: number[] = [];
    let tools = 0;
    for (let i = 0; i < s.listFetches; i++) {
      const t0 = performance.now();
      tools = await listAll(session, s.timeoutMs);
      times.push(performance.now() - t0);
    }
    const rss = rssMiB(g.pid);
    await closeSession(session);
    return { gateway, backends: n, round, startupMs, listMs: median(times), tools, rssMiB: rss };
  } finally {
    await g.stop();
  }
}

export async function runScale(ctx: Ctx, s: ScaleSettings, log: (m: string) => void): Promise<ScaleResult> {
  const max = Math.max(...s.sizes);
  const { ready } = await ctx.sup.start({
    name: 'many-backends',
    command: process.execPath,
    args: [FIXTURE(ctx.root), '--backends', String(max), '--tools', String(s.tools)],
    cwd: ctx.root,
    logFile: path.join(ctx.workDir, 'many-backends.log'),
    readyLine: /listening on (http:\/\/\S+)/,
    readyTimeoutMs: 20_000,
  });
  const cases: [ScaleGateway, number][] = [...s.sizes.map((n) => ['vmcp', n] as [ScaleGateway, number]), ['mcp-hub', max]];
  const result: ScaleResult = { settings: s, samples: [], errors: [] };
  for (let r = 0; r < s.rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const [gateway, n] = cases[(i + r) % cases.length]!;
      try {
        const sample = await measure(ctx, ready!, gateway, n, r + 1, s);
        result.samples.push(sample);
        log(
          `scale round ${r + 1} ${gateway}@${n}: start-up ${sample.startupMs.toFixed(0)} ms, full list ${sample.listMs.toFixed(1)} ms, RSS ${sample.rssMiB.toFixed(0)} MiB`,
        );
      } catch (err) {
        result.errors.push(`round ${r + 1} ${gateway}@${n}: ${(err as Error).message}`);
        log(`scale round ${r + 1} ${gateway}@${n} failed: ${(err as Error).message}`);
      }
    }
  }
  return result;
}
