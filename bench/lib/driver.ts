// Drives one target for one round with real MCP clients (v2 `Client` over Streamable HTTP):
//   1. session setup: `sessions` times connect (initialize + notifications/initialized) -> close
//   2. tools/list on one session
//   3. warm-up, then `calls` sequential tools/call echo {message:"hi"}
//   4. `concurrency` workers, each with its own session, share `calls` tools/call, at least `perWorker`
//      each (throughput)
// With a CPU sampler for the target's process (gateway or server), phases 3 and 4 also give the CPU
// time that process spent per call, which no client-side cost or scheduling noise enters; phase 4
// also gives the bench client's own CPU per call (its transport's cost shares the same 2 cores).
// Every request has a timeout, so a hung target fails the round instead of hanging the bench.
import { performance } from 'node:perf_hooks';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { summarize, throughput, type LatencySummary } from './stats.js';

/** How the bench client speaks to a target: mcp-hub serves only the legacy HTTP+SSE transport. */
export type ClientKind = 'streamable-http' | 'sse';

export interface DriverOptions {
  calls: number;
  sessions: number;
  concurrency: number;
  /** The least calls each worker makes in the concurrent phase. */
  perWorker: number;
  warmup: number;
  listCalls: number;
  requestTimeoutMs: number;
}

export interface RoundResult {
  tool: string;
  toolsCount: number;
  serverName: string;
  setup: LatencySummary;
  list: LatencySummary;
  sequential: LatencySummary & { rps: number; cpuUsPerCall?: number };
  concurrent: LatencySummary & { rps: number; workers: number; cpuUsPerCall?: number; clientCpuUsPerCall: number };
  errors: number;
  firstError?: string;
}

const TOOL_ARGS = { message: 'hi' } as const;

export interface Session {
  client: Client;
  transport: StreamableHTTPClientTransport | SSEClientTransport;
}

export async function openSession(
  url: string,
  timeoutMs: number,
  headers?: Record<string, string>,
  kind: ClientKind = 'streamable-http',
): Promise<Session> {
  const client = new Client({ name: 'vmcp-bench', version: '0.1.0' }, { capabilities: {} });
  const init = headers ? { requestInit: { headers } } : {};
  const transport = kind === 'sse' ? new SSEClientTransport(new URL(url), init) : new StreamableHTTPClientTransport(new URL(url), init);
  await withTimeout(client.connect(transport), timeoutMs, 'connect');
  return { client, transport };
}

export async function closeSession(s: Session): Promise<void> {
  // DELETE the session so servers do not accumulate state across the run, then drop the client.
  if (s.transport instanceof StreamableHTTPClientTransport)
    await withTimeout(s.transport.terminateSession(), 2000, 'terminate').catch(() => {});
  await withTimeout(s.client.close(), 2000, 'close').catch(() => {});
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The tool to call: `echo` itself, else a prefixed one such as `everything_echo`. */
export function pickEchoTool(names: readonly string[]): string | undefined {
  return names.find((n) => n === 'echo') ?? names.find((n) => /[_./:-]echo$/.test(n));
}

export class Caller {
  errors = 0;
  firstError: string | undefined;
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {}

  /** One timed tools/call; failures are counted (and timed) rather than thrown. */
  async call(client: Client): Promise<number> {
    const t0 = performance.now();
    try {
      const r = await client.request(
        { method: 'tools/call', params: { name: this.tool, arguments: TOOL_ARGS } },
        { timeout: this.timeoutMs },
      );
      const first = r.content?.[0];
      const text = first && first.type === 'text' ? first.text : '';
      if (r.isError || !text.includes('hi')) this.#fail(`unexpected result ${JSON.stringify(r).slice(0, 200)}`);
    } catch (err) {
      this.#fail((err as Error).message);
    }
    return performance.now() - t0;
  }

  #fail(msg: string): void {
    this.errors++;
    this.firstError ??= msg;
  }
}

async function measureSetup(url: string, o: DriverOptions, headers?: Record<string, string>, kind?: ClientKind): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < o.sessions; i++) {
    const t0 = performance.now();
    const s = await openSession(url, o.requestTimeoutMs, headers, kind);
    samples.push(performance.now() - t0);
    await closeSession(s);
  }
  return samples;
}

async function measureList(s: Session, o: DriverOptions): Promise<{ samples: number[]; names: string[] }> {
  const samples: number[] = [];
  let names: string[] = [];
  for (let i = 0; i < o.listCalls; i++) {
    const t0 = performance.now();
    const r = await s.client.request({ method: 'tools/list', params: {} }, { timeout: o.requestTimeoutMs });
    samples.push(performance.now() - t0);
    names = r.tools.map((t) => t.name);
  }
  return { samples, names };
}

/** CPU time (ns) the measured target's process has used so far; undefined when it cannot be read. */
export type CpuSampler = () => number | undefined;

/** Microseconds of the target's CPU per call between two samples. */
function cpuPerCall(before: number | undefined, after: number | undefined, calls: number): number | undefined {
  return before === undefined || after === undefined || calls === 0 ? undefined : (after - before) / 1000 / calls;
}

async function measureConcurrent(
  url: string,
  caller: Caller,
  o: DriverOptions,
  headers?: Record<string, string>,
  kind?: ClientKind,
  cpu?: CpuSampler,
) {
  const sessions = await Promise.all(Array.from({ length: o.concurrency }, () => openSession(url, o.requestTimeoutMs, headers, kind)));
  try {
    await Promise.all(
      sessions.map(async (s) => {
        await caller.call(s.client);
        await caller.call(s.client);
      }),
    );
    // At least `perWorker` calls per worker (250 by default, about 2 s at 16 sessions): throughput is a
    // steady-state figure, and a phase of half a second is mostly the ramp of 16 fresh sessions.
    const total = Math.max(o.calls, o.concurrency * o.perWorker);
    const samples: number[] = [];
    let issued = 0;
    const c0 = cpu?.();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      sessions.map(async (s) => {
        while (issued < total) {
          issued++;
          samples.push(await caller.call(s.client));
        }
      }),
    );
    const wall = performance.now() - t0;
    const client = process.cpuUsage(client0);
    const clientCpuUs = (client.user + client.system) / samples.length;
    return { samples, wall, cpuUs: cpuPerCall(c0, cpu?.(), samples.length), clientCpuUs };
  } finally {
    await Promise.all(sessions.map(closeSession));
  }
}

/**
 * Unmeasured calls before the first round, so every process (gateway, peer, server) has compiled
 * its hot path before anything is timed: V8 optimizes a function only after many runs, and a round
 * of a few hundred calls would otherwise time one target warmer than another.
 */
export async function prime(
  url: string,
  o: DriverOptions,
  calls: number,
  headers?: Record<string, string>,
  kind?: ClientKind,
): Promise<void> {
  if (calls === 0) return;
  const s = await openSession(url, o.requestTimeoutMs, headers, kind);
  try {
    const { tools } = await s.client.request({ method: 'tools/list', params: {} }, { timeout: o.requestTimeoutMs });
    const tool = pickEchoTool(tools.map((t) => t.name));
    if (!tool) throw new Error('no echo tool to prime with');
    const caller = new Caller(tool, o.requestTimeoutMs);
    for (let i = 0; i < calls; i++) await caller.call(s.client);
    if (caller.errors === calls) throw new Error(`every priming call failed: ${caller.firstError}`);
  } finally {
    await closeSession(s);
  }
}

/** `headers` go with every request (the authenticated target's bearer token). */
export async function runRound(
  url: string,
  o: DriverOptions,
  headers?: Record<string, string>,
  kind?: ClientKind,
  cpu?: CpuSampler,
): Promise<RoundResult> {
  const setupSamples = await measureSetup(url, o, headers, kind);
  const main = await openSession(url, o.requestTimeoutMs, headers, kind);
  let caller: Caller;
  let listed: { samples: number[]; names: string[] };
  let seq: { samples: number[]; wall: number; cpuUs: number | undefined };
  const serverName = main.client.getServerVersion()?.name ?? 'unknown';
  try {
    listed = await measureList(main, o);
    const tool = pickEchoTool(listed.names);
    if (!tool) throw new Error(`no echo tool in tools/list: ${listed.names.join(', ')}`);
    caller = new Caller(tool, o.requestTimeoutMs);
    const warmErrors = new Caller(tool, o.requestTimeoutMs);
    for (let i = 0; i < o.warmup; i++) await warmErrors.call(main.client);
    if (warmErrors.errors === o.warmup && o.warmup > 0) throw new Error(`every warm-up call failed: ${warmErrors.firstError}`);
    const samples: number[] = [];
    const c0 = cpu?.();
    const t0 = performance.now();
    for (let i = 0; i < o.calls; i++) samples.push(await caller.call(main.client));
    seq = { samples, wall: performance.now() - t0, cpuUs: cpuPerCall(c0, cpu?.(), samples.length) };
  } finally {
    await closeSession(main);
  }
  const conc = await measureConcurrent(url, caller, o, headers, kind, cpu);
  return {
    tool: caller.tool,
    toolsCount: listed.names.length,
    serverName,
    setup: summarize(setupSamples),
    list: summarize(listed.samples),
    sequential: {
      ...summarize(seq.samples),
      rps: throughput(seq.samples.length, seq.wall),
      ...(seq.cpuUs !== undefined ? { cpuUsPerCall: seq.cpuUs } : {}),
    },
    concurrent: {
      ...summarize(conc.samples),
      rps: throughput(conc.samples.length, conc.wall),
      workers: o.concurrency,
      ...(conc.cpuUs !== undefined ? { cpuUsPerCall: conc.cpuUs } : {}),
      clientCpuUsPerCall: conc.clientCpuUs,
    },
    errors: caller.errors,
    ...(caller.firstError ? { firstError: caller.firstError } : {}),
  };
}
