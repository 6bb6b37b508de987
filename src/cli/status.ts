// `vmcp status [--url URL] [--json] [--watch] [--interval 2s]`: fetch GET /status of a running
// gateway (the StatusReport contract, src/health/types.ts) and show it for a human: a header
// (name, version, phase, message), one table row per backend, then the conditions.
// Exit codes: 0 phase Ready or Degraded (the gateway routes), 1 Failed or Pending, 2 usage error,
// 3 the gateway cannot be reached or did not answer a status document; --watch ends with 0 on SIGINT.
// Rendering is pure (renderStatus) so tests pin it without a terminal or a clock.
import { parseArgs } from 'node:util';
import { MAX_TIMER_MS, parseDuration } from '../config/duration.js';
import type { BackendStatus, CircuitState, Phase, StatusReport, StatusString } from '../health/types.js';
import { renderTable } from './table.js';
import { answerUsage, type CliIo } from './io.js';

export const DEFAULT_STATUS_URL = 'http://127.0.0.1:4483';

export const STATUS_USAGE = `usage: vmcp status [--url URL] [--json] [--watch] [--interval 2s]
  --url, -u      the gateway's base URL or its /mcp URL (default ${DEFAULT_STATUS_URL})
  --json         print the GET /status document as received
  --watch, -w    redraw every --interval until Ctrl-C
  --interval     refresh period for --watch (default 2s)
  exit codes: 0 Ready or Degraded, 1 Failed or Pending, 2 usage error, 3 gateway unreachable
`;

/** Seams for tests; every field has a production default. */
export interface StatusRunOptions {
  /** Colour output (default: stdout is a TTY and NO_COLOR is unset or empty, per no-color.org). */
  readonly color?: boolean;
  /** --watch clears the screen on a terminal, else prints a separator (default: stdout.isTTY). */
  readonly tty?: boolean;
  /** Ends --watch like SIGINT does. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /** Per-request timeout (default 5 s). */
  readonly timeoutMs?: number;
}

export interface RenderOptions {
  readonly color: boolean;
  /** Epoch milliseconds that "3s ago" is measured from. */
  readonly now: number;
}

const ANSI = { bold: '1', red: '31', green: '32', yellow: '33', cyan: '36', grey: '90' } as const;
type Colour = keyof typeof ANSI;
const PHASE_COLOUR: Record<Phase, Colour> = { Ready: 'green', Degraded: 'yellow', Failed: 'red', Pending: 'grey' };
// Unauthenticated is routable (health-semantics.md), so it is not painted as a failure.
const STATUS_COLOUR: Record<StatusString, Colour> = {
  ready: 'green',
  degraded: 'yellow',
  unavailable: 'red',
  unauthenticated: 'cyan',
  unknown: 'grey',
};
const CIRCUIT_COLOUR: Partial<Record<CircuitState, Colour>> = { open: 'red', 'half-open': 'yellow' };
const CLEAR_SCREEN = '\x1b[H\x1b[2J';
const SEPARATOR = `${'-'.repeat(72)}\n`;

export async function runStatus(args: readonly string[], io: CliIo, opts: StatusRunOptions = {}): Promise<number> {
  const parsed = parseStatusArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'status', STATUS_USAGE, parsed);
  const tty = opts.tty ?? (io.stdout as { isTTY?: boolean }).isTTY === true;
  const ctx: Context = {
    ...parsed,
    io,
    tty,
    color: opts.color ?? (tty && !io.env['NO_COLOR']),
    now: opts.now ?? Date.now,
    timeoutMs: opts.timeoutMs ?? 5000,
  };
  return parsed.watch ? watch(ctx, opts.signal) : once(ctx);
}

interface StatusArgs {
  readonly url: string;
  readonly json: boolean;
  readonly watch: boolean;
  readonly intervalMs: number;
}

interface Context extends StatusArgs {
  readonly io: CliIo;
  readonly tty: boolean;
  readonly color: boolean;
  readonly now: () => number;
  readonly timeoutMs: number;
}

/** The parsed arguments, 'help', or an error message. */
function parseStatusArgs(args: readonly string[]): StatusArgs | 'help' | string {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        url: { type: 'string', short: 'u', default: DEFAULT_STATUS_URL },
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', short: 'w', default: false },
        interval: { type: 'string', default: '2s' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) return 'help';
    if (positionals.length > 0) return `unexpected argument ${positionals[0]}`;
    const intervalMs = parseDuration(values.interval);
    if (intervalMs < 100 || intervalMs > MAX_TIMER_MS) return `--interval must be between 100ms and 596h (got ${values.interval})`;
    return { url: statusUrl(values.url), json: values.json, watch: values.watch, intervalMs };
  } catch (err) {
    return (err as Error).message;
  }
}

/** `<base>/status` for a base URL, the /mcp URL or the /status URL; a missing scheme means http. */
export function statusUrl(input: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`--url is not a URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--url must be http(s): ${input}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/(mcp|status)$/, '')}/status`;
  url.search = '';
  url.hash = '';
  return url.href;
}

async function once(ctx: Context): Promise<number> {
  const got = await fetchStatus(ctx.url, ctx.timeoutMs);
  if (!got.ok) {
    ctx.io.stderr.write(`vmcp status: ${got.error}\n`);
    return 3;
  }
  ctx.io.stdout.write(ctx.json ? got.text : renderStatus(got.report, { color: ctx.color, now: ctx.now() }));
  return exitCodeFor(got.report.phase);
}

/** 0 when the gateway routes (Ready, Degraded), 1 when it cannot (Failed) or does not yet (Pending). */
export function exitCodeFor(phase: Phase): number {
  return phase === 'Ready' || phase === 'Degraded' ? 0 : 1;
}

async function watch(ctx: Context, external?: AbortSignal): Promise<number> {
  const stop = new AbortController();
  const onStop = () => stop.abort();
  process.on('SIGINT', onStop);
  external?.addEventListener('abort', onStop, { once: true });
  if (external?.aborted) stop.abort();
  try {
    for (let frame = 0; !stop.signal.aborted; frame++) {
      const got = await fetchStatus(ctx.url, ctx.timeoutMs, stop.signal);
      if (stop.signal.aborted) break;
      const now = ctx.now();
      const title = `Every ${formatInterval(ctx.intervalMs)}: ${ctx.url}  ${new Date(now).toISOString()}\n\n`;
      const body = !got.ok ? `${got.error}\n` : ctx.json ? got.text : renderStatus(got.report, { color: ctx.color, now });
      const lead = ctx.tty ? CLEAR_SCREEN : frame === 0 ? '' : SEPARATOR;
      ctx.io.stdout.write(lead + (ctx.json ? '' : title) + body);
      await sleep(ctx.intervalMs, stop.signal);
    }
  } finally {
    process.off('SIGINT', onStop);
    external?.removeEventListener('abort', onStop);
  }
  return 0;
}

type Fetched = { ok: true; report: StatusReport; text: string } | { ok: false; error: string };

async function fetchStatus(url: string, timeoutMs: number, signal?: AbortSignal): Promise<Fetched> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs);
  const onAbort = () => controller.abort(new Error('cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: controller.signal });
    const text = await res.text();
    const report = parseReport(text);
    if (!report) return { ok: false, error: `vmcp at ${url} answered HTTP ${res.status} without a status document` };
    return { ok: true, report, text: text.endsWith('\n') ? text : `${text}\n` };
  } catch (err) {
    const reason = controller.signal.aborted ? (controller.signal.reason as Error).message : describeError(err);
    return { ok: false, error: `cannot reach vmcp at ${url}: ${reason}` };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The report when `text` looks like one (a gateway of another version may add or omit fields). */
function parseReport(text: string): StatusReport | undefined {
  try {
    const value = JSON.parse(text) as Partial<StatusReport> | null;
    if (typeof value?.phase === 'string' && Array.isArray(value.backends)) return value as StatusReport;
  } catch {
    // not JSON: an HTML error page, a proxy, another service on the port
  }
  return undefined;
}

/** undici's "fetch failed" hides the useful part in `cause` (an AggregateError when both ::1 and 127.0.0.1 fail). */
function describeError(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const inner = cause instanceof AggregateError ? cause.errors[0] : undefined;
  for (const e of [inner, cause, err]) {
    if (e instanceof Error && e.message) return e.message;
    const code = (e as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return String(err);
}

export function renderStatus(report: StatusReport, opts: RenderOptions): string {
  const paint = painter(opts.color);
  const phase = paint(PHASE_COLOUR[report.phase] ?? 'grey', clean(report.phase));
  const out = [`${paint('bold', clean(report.name))} (vmcp ${clean(report.version)})  ${phase}  ${clean(report.message)}`, ''];
  if (report.backends.length === 0) out.push('No backends configured.');
  else out.push(renderBackends(report.backends, paint, opts.now).trimEnd());
  const conditions = report.conditions ?? [];
  if (conditions.length > 0) {
    const rows = conditions.map((c) => [clean(c.type), clean(c.status), clean(c.reason), clean(c.message)]);
    out.push('', 'Conditions:', renderTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], rows).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

type Paint = (colour: Colour, text: string) => string;

function painter(color: boolean): Paint {
  return (colour, text) => (color ? `\x1b[${ANSI[colour]}m${text}\x1b[0m` : text);
}

function renderBackends(backends: readonly BackendStatus[], paint: Paint, now: number): string {
  const headers = ['BACKEND', 'STATUS', 'TRANSPORT', 'AUTH', 'MCP', 'CIRCUIT', 'FAILURES', 'LAST CHECK', 'TOOLS', 'MESSAGE'];
  const rows = backends.map((b) => {
    const circuitColour = CIRCUIT_COLOUR[b.circuit];
    return [
      clean(b.name),
      paint(STATUS_COLOUR[b.status] ?? 'grey', clean(b.status)),
      clean(b.transport),
      clean(b.authType),
      clean(b.mcpRevision ?? '-'),
      circuitColour ? paint(circuitColour, clean(b.circuit)) : clean(b.circuit),
      clean(b.consecutiveFailures ?? '-'),
      relativeTime(b.lastCheck, now),
      clean(b.tools ?? '-'),
      clean(`${b.reason ? `${b.message} (${b.reason})` : b.message}${b.quarantine ? ` · quarantined: ${b.quarantine.reason}` : ''}`),
    ];
  });
  return renderTable(headers, rows);
}

/** "just now", "3s ago", "5m ago", "2h ago", "4d ago"; "never" without a time. */
export function relativeTime(iso: string | undefined, now: number): string {
  if (iso === undefined) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '-';
  const seconds = Math.floor((now - then) / 1000);
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** Text from the network never reaches the terminal with control characters (no escape injection). */
function clean(value: unknown): string {
  return String(value ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function formatInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
