// Code mode suite (`--only X`): the point of execute_tool_script is one client round trip
// instead of many. Against the built gateway (echo.mjs over Streamable HTTP, code mode on), each
// sample times 5 sequential echo calls made by the client and one script making the same 5
// calls (interleaved, so drift hits both alike), and reports the wall-time ratio script/direct
// (target < 1). Also: an empty script (`return 1`: the per-script sandbox cost plus one round
// trip) and the sandbox's cold start in this process (worker thread + WebAssembly module).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeSession, openSession } from './driver.js';
import { round, summarize, type LatencySummary } from './stats.js';
import { startEcho, startGateway, type TargetContext } from './targets.js';

export interface CodeModeResult {
  samples: number;
  direct5: LatencySummary;
  script5: LatencySummary;
  /** script5.p50 / direct5.p50. */
  ratio: number;
  emptyScript: LatencySummary;
  coldStartMs: number[];
  errors: number;
  firstError?: string;
}

const CALLS = 5;
const SCRIPT = `const out = [];\nfor (let i = 0; i < ${CALLS}; i++) out.push(await tools.echo({ message: 'hi' + i }));\nreturn out;`;

type Client = Awaited<ReturnType<typeof openSession>>['client'];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function script(client: Client, source: string, check: (r: unknown) => boolean): Promise<void> {
  const r = await client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script: source } } });
  if (r.isError || !check((r.structuredContent as Record<string, unknown> | undefined)?.['result']))
    throw new Error(`unexpected script result ${JSON.stringify(r).slice(0, 200)}`);
}

async function direct(client: Client): Promise<void> {
  for (let i = 0; i < CALLS; i++) {
    const r = await client.request({ method: 'tools/call', params: { name: 'echo', arguments: { message: `hi${i}` } } });
    if (r.isError) throw new Error(`unexpected result ${JSON.stringify(r).slice(0, 200)}`);
  }
}

/** Cold start of a sandbox in this process: a new CodeMode and its first script. */
async function coldStarts(root: string, runs: number): Promise<number[]> {
  const { CodeMode } = (await import(path.join(root, 'dist/codemode/index.js'))) as typeof import('../../src/codemode/index.js');
  const { resolveCodeMode } = (await import(
    path.join(root, 'dist/config/schema-codemode.js')
  )) as typeof import('../../src/config/schema-codemode.js');
  const host = { tools: () => [], callTool: () => Promise.reject(new Error('no tools')) };
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const codeMode = new CodeMode(resolveCodeMode({ workers: 1 }));
    out.push(round(await timed(() => codeMode.execute({ script: 'return 1' }, host)), 1));
    await codeMode.close();
  }
  return out;
}

export async function runCodeMode(ctx: TargetContext, samples: number, log: (m: string) => void): Promise<CodeModeResult> {
  const echo = await startEcho(ctx, 'echo-backend-codemode');
  const backend = { name: 'echo', transport: 'streamable-http', url: echo.url };
  const gw = await startGateway(ctx, 'gateway-codemode', backend, [], { codeMode: { enabled: true } });
  const session = await openSession(gw.url, 15_000);
  const d: number[] = [];
  const s: number[] = [];
  const empty: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const sample = async (into: number[], fn: () => Promise<unknown>): Promise<void> => {
    try {
      into.push(await timed(fn));
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
    }
  };
  const warmup = Math.max(5, Math.floor(samples / 10));
  for (let i = 0; i < samples + warmup; i++) {
    const keep = i >= warmup;
    await sample(keep ? d : [], () => direct(session.client));
    await sample(keep ? s : [], () => script(session.client, SCRIPT, (v) => Array.isArray(v) && v.length === CALLS));
    await sample(keep ? empty : [], () => script(session.client, 'return 1', (v) => v === 1));
  }
  await closeSession(session);
  if (gw.proc) await ctx.sup.stop(gw.proc);
  const direct5 = summarize(d);
  const script5 = summarize(s);
  log(`code mode: 5 direct calls p50 ${direct5.p50.toFixed(2)} ms, one 5-call script p50 ${script5.p50.toFixed(2)} ms`);
  return {
    samples,
    direct5,
    script5,
    ratio: round(script5.p50 / direct5.p50, 3),
    emptyScript: summarize(empty),
    coldStartMs: await coldStarts(ctx.gatewayRoot ?? ctx.root, 3),
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

export function codeModeMarkdown(r: CodeModeResult): string[] {
  const row = (name: string, l: LatencySummary) => `| ${name} | ${l.p50.toFixed(2)} | ${l.p90.toFixed(2)} | ${l.p99.toFixed(2)} |`;
  return [
    '',
    `Code mode (\`--only X\`, n=${r.samples}, echo.mjs over Streamable HTTP${r.errors ? `, ${r.errors} errors: ${r.firstError}` : ''}):`,
    '',
    '| case (wall ms) | p50 | p90 | p99 |',
    '|---|---:|---:|---:|',
    row('5 sequential echo calls from the client', r.direct5),
    row('one execute_tool_script making the same 5 calls', r.script5),
    row('empty script (`return 1`)', r.emptyScript),
    '',
    `Ratio script / direct (p50): **${r.ratio}** (target < 1). Sandbox cold start (new CodeMode + first script): ${r.coldStartMs.join(', ')} ms.`,
  ];
}
