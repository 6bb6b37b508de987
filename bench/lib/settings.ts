// Command-line settings of `npm run bench` (see bench/run.ts for the flags).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DriverOptions } from './driver.js';

/** Suites that are not per-round targets: S scale, W warning count, M heap per idle session, K composite-tool overhead, X code mode, T telemetry cost, R Redis session storage. */
export type SuiteId = 'S' | 'W' | 'M' | 'K' | 'X' | 'T' | 'R';
export const SUITES: readonly SuiteId[] = ['S', 'W', 'M', 'K', 'X', 'T', 'R'];

export interface Settings extends DriverOptions {
  rounds: number;
  /** Unmeasured calls per target before the first round (see driver.ts `prime`). */
  prime: number;
  /** Target ids or names (undefined: all); suites are split off into `suites`. */
  only?: string;
  suites: SuiteId[];
  check: boolean;
  out: string;
  timeoutS: number;
  gatewayLogLevel: string;
  cpuProf: boolean;
  /** Which gateway target --cpu-prof profiles: D (the floor case) or B (server-everything over stdio). */
  cpuProfTarget: 'B' | 'D';
  scaleSizes: number[];
  scaleRounds: number;
  warningCalls: number;
  vmcpRoot?: string;
}

export function parseSettings(argv: string[], root: string): Settings {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      calls: { type: 'string', short: 'n' },
      rounds: { type: 'string' },
      sessions: { type: 'string' },
      concurrency: { type: 'string' },
      'per-worker': { type: 'string' },
      warmup: { type: 'string' },
      prime: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(root, 'bench/results') },
      timeout: { type: 'string', default: '1800' },
      'gateway-log-level': { type: 'string', default: 'warn' },
      'cpu-prof': { type: 'boolean', default: false },
      'cpu-prof-target': { type: 'string', default: 'D' },
      'scale-sizes': { type: 'string' },
      'scale-rounds': { type: 'string' },
      'warning-calls': { type: 'string' },
      'vmcp-root': { type: 'string' },
    },
  });
  const q = v.quick;
  const int = (raw: string | undefined, dflt: number, name: string, min = 1): number => {
    const n = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const calls = int(v.calls, q ? 40 : 300, 'n');
  const { only, suites } = splitOnly(v.only);
  const sizes = (v['scale-sizes'] ?? (q ? '10,50' : '10,50,100')).split(',').map((x) => int(x.trim(), 0, 'scale-sizes'));
  return {
    calls,
    rounds: int(v.rounds, q ? 1 : 3, 'rounds'),
    sessions: int(v.sessions, q ? 5 : 20, 'sessions'),
    concurrency: int(v.concurrency, 16, 'concurrency'),
    perWorker: int(v['per-worker'], q ? 5 : 250, 'per-worker'),
    warmup: int(v.warmup, q ? 5 : 20, 'warmup', 0),
    prime: int(v.prime, q ? 0 : 1000, 'prime', 0),
    listCalls: Math.max(5, Math.round(calls / 10)),
    requestTimeoutMs: 15_000,
    ...(only !== undefined ? { only } : {}),
    suites,
    check: v.check,
    out: path.resolve(v.out),
    timeoutS: int(v.timeout, 1800, 'timeout'),
    gatewayLogLevel: v['gateway-log-level'],
    cpuProf: v['cpu-prof'],
    cpuProfTarget: profTarget(v['cpu-prof-target']),
    scaleSizes: sizes,
    scaleRounds: int(v['scale-rounds'], q ? 1 : 2, 'scale-rounds'),
    warningCalls: int(v['warning-calls'], q ? 2000 : 20_000, 'warning-calls'),
    ...(v['vmcp-root'] ? { vmcpRoot: path.resolve(v['vmcp-root']) } : {}),
  };
}

/** `--only B,F,S`: S and W are suites; the rest are targets. No --only: every target and suite. */
function splitOnly(raw: string | undefined): { only: string | undefined; suites: SuiteId[] } {
  if (raw === undefined) return { only: undefined, suites: [...SUITES] };
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const suites = SUITES.filter((id) => parts.some((p) => p.toUpperCase() === id));
  const rest = parts.filter((p) => !SUITES.includes(p.toUpperCase() as SuiteId));
  return { only: rest.length ? rest.join(',') : '', suites };
}

function profTarget(raw: string | undefined): 'B' | 'D' {
  if (raw === 'B' || raw === 'D' || raw === undefined) return raw ?? 'D';
  throw new Error(`--cpu-prof-target must be B or D, got ${raw}`);
}
