// The composite-tool suite (`--only K`): what a two-step workflow costs over making its two calls
// yourself. One gateway (the built vmcp, a child process) in front of echo.mjs over Streamable
// HTTP advertises `echo` and `two_echo` (a composite whose two sequential steps call echo). Per
// sample, interleaved in alternating order: the pair (two direct `echo` calls back to back) and
// one `two_echo` call. Overhead = composite p50 − pair p50: the engine and the two inner trips
// through the chain, minus the client round trip the composite saves.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { Caller, closeSession, openSession } from './driver.js';
import { freePort, waitForHttp, type Supervisor } from './procs.js';
import { summarize, type LatencySummary } from './stats.js';
import { gatewayConfig, startEcho, vmcpBin, type TargetContext } from './targets.js';

export interface CompositeResult {
  samples: number;
  single: LatencySummary;
  pair: LatencySummary;
  composite: LatencySummary;
  /** composite p50 − pair p50, ms (negative: the composite is faster than doing it yourself). */
  overheadP50: number;
  errors: number;
  firstError?: string;
}

const LABEL = 'gateway-composite';
/** The issue's target for the p50 overhead. */
export const COMPOSITE_OVERHEAD_TARGET_MS = 1;

const TWO_ECHO = {
  name: 'two_echo',
  description: 'echo, then echo what the first said',
  parameters: { type: 'object', properties: { message: { type: 'string' } } },
  steps: [
    { id: 'first', tool: 'echo', arguments: { message: '{{.params.message}}' } },
    { id: 'second', tool: 'echo', dependsOn: ['first'], arguments: { message: '{{.steps.first.output.text}}' } },
  ],
};

async function startCompositeGateway(ctx: TargetContext & { sup: Supervisor }, echoUrl: string): Promise<string> {
  const config = {
    ...gatewayConfig({ name: 'echo', transport: 'streamable-http', url: echoUrl }, ctx.gatewayLogLevel),
    // Priority naming (from gatewayConfig) keeps names without a conflict bare: `echo`, `two_echo`.
    compositeTools: [TWO_ECHO],
  };
  const configFile = path.join(ctx.workDir, `${LABEL}.yaml`);
  fs.writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const args = [vmcpBin(ctx), 'serve', '--config', configFile, '--host', '127.0.0.1', '--port', String(port)];
  const logFile = path.join(ctx.workDir, `${LABEL}.log`);
  const { proc } = await ctx.sup.start({ name: LABEL, command: process.execPath, args, cwd: ctx.root, logFile });
  await waitForHttp(`http://127.0.0.1:${port}/health`, proc, 20_000);
  return `http://127.0.0.1:${port}/mcp`;
}

export async function runComposite(ctx: TargetContext & { sup: Supervisor }, n: number, warmup: number): Promise<CompositeResult> {
  const echo = await startEcho(ctx, 'echo-backend-composite');
  const url = await startCompositeGateway(ctx, echo.url);
  const session = await openSession(url, 15_000);
  const direct = new Caller('echo', 15_000);
  const composite = new Caller('two_echo', 15_000);
  const single: number[] = [];
  const pair: number[] = [];
  const both: number[] = [];
  try {
    for (let i = 0; i < warmup; i++) await Promise.all([direct.call(session.client), composite.call(session.client)]);
    for (let i = 0; i < n; i++) {
      const takePair = async () => {
        const t0 = performance.now();
        single.push(await direct.call(session.client));
        await direct.call(session.client);
        pair.push(performance.now() - t0);
      };
      const takeComposite = async () => void both.push(await composite.call(session.client));
      if (i % 2 === 0) await takePair().then(takeComposite);
      else await takeComposite().then(takePair);
    }
  } finally {
    await closeSession(session);
  }
  const errors = direct.errors + composite.errors;
  const firstError = direct.firstError ?? composite.firstError;
  const [s, p, c] = [summarize(single), summarize(pair), summarize(both)];
  return { samples: n, single: s, pair: p, composite: c, overheadP50: c.p50 - p.p50, errors, ...(firstError ? { firstError } : {}) };
}

export function compositeMarkdown(r: CompositeResult): string[] {
  const row = (what: string, l: LatencySummary) => `| ${what} | ${l.p50.toFixed(2)} | ${l.p90.toFixed(2)} | ${l.p99.toFixed(2)} |`;
  const verdict = r.overheadP50 <= COMPOSITE_OVERHEAD_TARGET_MS ? 'PASS' : 'FAIL';
  return [
    '',
    `## Composite tool overhead (K): ${r.samples} interleaved samples`,
    '',
    '| call | p50 | p90 | p99 |',
    '|---|---|---|---|',
    row('one direct `echo`', r.single),
    row('two direct `echo` calls (the pair)', r.pair),
    row('`two_echo` (two steps calling echo)', r.composite),
    '',
    `Overhead of the composite over the pair, p50: ${r.overheadP50.toFixed(2)} ms ` +
      `(target ≤ ${COMPOSITE_OVERHEAD_TARGET_MS} ms: ${verdict})${r.errors ? `; ${r.errors} errors, first: ${r.firstError}` : ''}.`,
  ];
}
