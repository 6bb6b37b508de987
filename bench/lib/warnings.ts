// The warning count (`--only W`): 20,000 tools/call through vmcp → echo.mjs over Streamable HTTP
// (16 sessions in parallel), then the gateway is stopped and its stderr is searched for process
// warnings (MaxListenersExceededWarning above all: a listener leaked per backend request).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Caller, closeSession, openSession, pickEchoTool } from './driver.js';
import type { Supervisor } from './procs.js';
import { startEcho, startGateway, type TargetContext } from './targets.js';

export interface WarningResult {
  calls: number;
  sessions: number;
  errors: number;
  firstError?: string;
  seconds: number;
  maxListenersWarnings: number;
  processWarnings: number;
  /** The first few warning lines, as printed (they name no secret: the bench uses none). */
  samples: string[];
}

const LABEL = 'gateway-warnings';
/** `(node:1234) MaxListenersExceededWarning: …` or `(node:1234) [DEP0040] DeprecationWarning: …`. */
const PROCESS_WARNING = /\(node:\d+\) (\[\w+\] )?\w*Warning\b/;

export async function runWarnings(ctx: TargetContext & { sup: Supervisor }, calls: number, sessions: number): Promise<WarningResult> {
  const echo = await startEcho(ctx, 'echo-backend-warnings');
  const gw = await startGateway(ctx, LABEL, { name: 'echo', transport: 'streamable-http', url: echo.url });
  const opened = await Promise.all(Array.from({ length: sessions }, () => openSession(gw.url, 15_000)));
  const tool = pickEchoTool((await opened[0]!.client.listTools()).tools.map((t) => t.name)) ?? 'echo';
  const caller = new Caller(tool, 15_000);
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(
    opened.map(async (s) => {
      while (issued < calls) {
        issued++;
        await caller.call(s.client);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(opened.map(closeSession));
  if (gw.proc) await ctx.sup.stop(gw.proc); // the gateway's whole stderr is in its log once it has exited
  const lines = fs.readFileSync(path.join(ctx.workDir, `${LABEL}.log`), 'utf8').split('\n');
  const warnings = lines.filter((l) => PROCESS_WARNING.test(l));
  return {
    calls,
    sessions,
    errors: caller.errors,
    ...(caller.firstError ? { firstError: caller.firstError } : {}),
    seconds,
    maxListenersWarnings: warnings.filter((l) => l.includes('MaxListenersExceededWarning')).length,
    processWarnings: warnings.length,
    samples: warnings.slice(0, 3).map((l) => l.slice(0, 200)),
  };
}
