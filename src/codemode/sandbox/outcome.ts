// How the end of a script is told to the gateway's thread: the prelude's "V<json>" / "E<json>"
// string, an error value read out of the VM, or a failure of the interpreter itself. QuickJS
// reports its memory and stack limits as ordinary errors; they are recognised here by message and
// turned into the limit that caused them.
import type { LimitName } from '../limits.js';
import type { RunOutcome, ScriptError, StopReason } from '../protocol.js';

interface VmErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly tool?: unknown;
  readonly line?: unknown;
  readonly limit?: unknown;
}

const LIMIT_MESSAGES: ReadonlyArray<readonly [RegExp, LimitName]> = [
  [/^out of memory$/, 'memoryLimit'],
  [/^stack overflow$/, 'stackLimit'],
];

function limitFrom(name: string, message: string): LimitName | undefined {
  if (name !== 'InternalError' && name !== 'SyntaxError' && name !== 'RangeError') return undefined;
  return LIMIT_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

function asLimit(stop: LimitName | StopReason): ScriptError {
  return stop === 'cancelled' ? { message: 'the script was cancelled' } : { message: stop, limit: stop };
}

/** A described error (from the prelude or `ctx.dump`); `stop` wins when the run was being stopped. */
export function errorFromVm(value: unknown, stop: LimitName | StopReason | undefined): ScriptError {
  if (stop !== undefined) return asLimit(stop);
  if (typeof value !== 'object' || value === null) return { message: `the script failed: ${String(value)}` };
  const e = value as VmErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(e.message);
  if (typeof e.limit === 'string') return { message, limit: e.limit as LimitName };
  const limit = limitFrom(name, message);
  if (limit !== undefined) return { message, limit };
  if (message === 'interrupted') return { message, limit: 'stepLimit' };
  const line = typeof e.line === 'number' ? ` (line ${e.line})` : '';
  return {
    name,
    message: `${message}${line}`,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.tool === 'string' ? { tool: e.tool } : {}),
  };
}

/** The prelude's final string. */
export function outcomeOfResult(text: string, maxResultBytes: number): RunOutcome {
  const body = text.slice(1);
  if (text.startsWith('V')) {
    if (Buffer.byteLength(body) > maxResultBytes) return { ok: false, error: { message: 'maxResultSize', limit: 'maxResultSize' } };
    return { ok: true, valueJson: body };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  return { ok: false, error: errorFromVm(parsed, undefined) };
}

/** The interpreter itself failed (a host exception out of WebAssembly). */
export function outcomeOfHostFailure(err: unknown): RunOutcome {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError && /call stack/i.test(message)) return { ok: false, error: { message, limit: 'stackLimit' } };
  if (/out of memory|Cannot allocate/i.test(message)) return { ok: false, error: { message, limit: 'memoryLimit' } };
  return { ok: false, error: { message: `the sandbox failed: ${message}` } };
}
