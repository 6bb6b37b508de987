// `codeMode:` — the execute_tool_script virtual tool (docs/code-mode.md). The first four keys are
// ToolHive vMCP's (pkg/vmcp/config CodeModeConfig), with its defaults; the rest bound what a
// JavaScript sandbox needs bounded and Starlark did not (time, memory, calls, result size).
import { z } from 'zod';
import { MAX_TIMER_MS, parseDuration, tryParseDuration } from './duration.js';
import { duration } from './schema-common.js';
import type { CodeModeConfig } from './types.js';

/** Byte sizes: a whole number of bytes, or `<n>B|KiB|MiB|GiB` (binary units, e.g. "64MiB"). */
export const BYTE_SIZE_PATTERN = /^([0-9]+)(B|KiB|MiB|GiB)$/;
const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export const CODE_MODE_DEFAULTS = Object.freeze({
  /** ToolHive's default: QuickJS interrupt polls (calls and backward jumps), counted in tens of thousands. */
  stepLimit: 100_000,
  parallelMaxConcurrency: 10,
  toolCallTimeout: '30s',
  /** ToolHive's fixed bound on one script (defaultScriptTimeout), made configurable here. */
  scriptTimeout: '1m',
  /** The sandbox heap: enough for a few MB of tool results, small enough to run several at once. */
  memoryLimit: '64MiB',
  maxToolCalls: 1000,
  maxPendingCalls: 100,
  maxResultSize: '1MiB',
  /** One sandbox thread per core on the 2-core reference machine. */
  workers: 2,
} as const);

/** Bytes for a byte-size value; throws RangeError when malformed. */
export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = BYTE_SIZE_PATTERN.exec(value);
  if (!match) throw new RangeError(`invalid size "${value}": use bytes or e.g. "512KiB", "64MiB", "1GiB"`);
  return Number(match[1]) * (UNIT_BYTES[match[2] ?? 'B'] ?? 1);
}

function byteSize(min: number, max: number, label: string) {
  const text = z
    .string()
    .regex(BYTE_SIZE_PATTERN, 'must be bytes or a size such as "512KiB", "64MiB" or "1GiB"')
    .refine((v) => !BYTE_SIZE_PATTERN.test(v) || (parseByteSize(v) >= min && parseByteSize(v) <= max), `must be between ${label}`);
  return z.union([z.number().int().min(min).max(max), text]);
}

const positiveDuration = duration.refine((d) => {
  const ms = tryParseDuration(d);
  return ms === undefined || (ms > 0 && ms <= MAX_TIMER_MS);
}, 'must be longer than 0 and at most 24 days');

const count = (max: number) => z.number().int().min(1).max(max);

export const codeModeSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Advertise execute_tool_script and run scripts (default false).'),
    stepLimit: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Interpreter steps per script (calls and loop iterations; default 100000, enforced every 10000 steps).'),
    parallelMaxConcurrency: count(1000)
      .optional()
      .describe('Tool calls of one script in flight at once, parallel() included (default 10).'),
    toolCallTimeout: positiveDuration.optional().describe('Each tool call a script makes is cancelled after this long (default 30s).'),
    scriptTimeout: positiveDuration.optional().describe('Wall-clock limit of one script, waiting for a sandbox included (default 1m).'),
    memoryLimit: byteSize(4 * 1024 ** 2, 1024 ** 3, '4MiB and 1GiB')
      .optional()
      .describe('Heap of one script sandbox, as bytes or e.g. "64MiB" (default 64MiB).'),
    maxToolCalls: count(1_000_000).optional().describe('Tool calls one script may make in total (default 1000).'),
    maxPendingCalls: count(100_000).optional().describe('Tool calls one script may have started and not yet awaited (default 100).'),
    maxResultSize: byteSize(1024, 64 * 1024 ** 2, '1KiB and 64MiB')
      .optional()
      .describe('Largest JSON a script may return, as bytes or e.g. "1MiB" (default 1MiB).'),
    workers: count(64).optional().describe('Sandbox threads, i.e. scripts running at once; more wait their turn (default 2).'),
  })
  .describe('Code mode: the execute_tool_script tool runs a JavaScript program over the tools (ToolHive keys, plus limits).');

export type UserCodeMode = z.infer<typeof codeModeSchema>;

/** The runtime form, every default filled in; undefined unless code mode is enabled. */
export function normalizeCodeMode(user: UserCodeMode | undefined): CodeModeConfig | undefined {
  if (user?.enabled !== true) return undefined;
  return resolveCodeMode(user);
}

/** Defaults applied to whatever is set (also for callers that build the config in code). */
export function resolveCodeMode(user: Omit<UserCodeMode, 'enabled'> = {}): CodeModeConfig {
  const d = CODE_MODE_DEFAULTS;
  return {
    stepLimit: user.stepLimit ?? d.stepLimit,
    parallelMaxConcurrency: user.parallelMaxConcurrency ?? d.parallelMaxConcurrency,
    toolCallTimeoutMs: parseDuration(user.toolCallTimeout ?? d.toolCallTimeout),
    scriptTimeoutMs: parseDuration(user.scriptTimeout ?? d.scriptTimeout),
    memoryLimitBytes: parseByteSize(user.memoryLimit ?? d.memoryLimit),
    maxToolCalls: user.maxToolCalls ?? d.maxToolCalls,
    maxPendingCalls: user.maxPendingCalls ?? d.maxPendingCalls,
    maxResultBytes: parseByteSize(user.maxResultSize ?? d.maxResultSize),
    workers: user.workers ?? d.workers,
  };
}
