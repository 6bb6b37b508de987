// Child processes of the conformance runner. Every child runs in its own process group
// (detached) so that stopping it also stops what it spawned (a gateway's stdio backends), and
// every live child is killed when the runner exits, however it exits: no orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const live = new Set<ChildProcess>();

export interface Proc {
  readonly child: ChildProcess;
  /** Resolves with the exit code (128+n for signal n, -1 when it could not be spawned). */
  readonly exited: Promise<number>;
  /** Resolves when its stdout/stderr are closed too (grandchildren may hold them open). */
  readonly closed: Promise<void>;
  stdout(): string;
  stderr(): string;
}

const MAX_KEPT = 2_000_000;

export function start(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  let out = '';
  let err = '';
  // Always drain both pipes: a child blocked on a full pipe looks exactly like a hang.
  child.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-MAX_KEPT);
  });
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-MAX_KEPT);
  });
  let spawnFailed: () => void = () => {};
  const exited = new Promise<number>((resolve) => {
    spawnFailed = () => resolve(-1);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : -1)));
  });
  const closed = new Promise<void>((resolve) => {
    child.once('error', (e) => {
      err += `\nspawn failed: ${e.message}\n`;
      live.delete(child);
      spawnFailed();
      resolve();
    });
    child.once('close', () => {
      live.delete(child);
      resolve();
    });
  });
  return { child, exited, closed, stdout: () => out, stderr: () => err };
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // the whole group is gone
  }
}

const groupAlive = (child: ChildProcess): boolean => signalGroup(child, 0);
const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/**
 * Stops a child: `signal` to the process itself, SIGKILL to its group after `graceMs`. Then
 * SIGKILLs anything left in its group and reports whether there was anything (e.g. a gateway
 * that exited but left a stdio backend running).
 */
export async function stop(p: Proc, graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number; leftovers: boolean }> {
  if (running(p.child)) p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(p.child, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  const code = await Promise.race([p.exited, forced.then(() => p.exited)]);
  clearTimeout(timer);
  // Grandchildren (stdio backends) get EOF on stdin when their parent exits; give them 1 s.
  for (let i = 0; i < 10 && groupAlive(p.child); i++) await new Promise((r) => setTimeout(r, 100));
  const leftovers = signalGroup(p.child, 'SIGKILL');
  return { code, leftovers };
}

export interface Completed {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Runs a command to completion, killing its process group after `timeoutMs`. */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Completed> {
  const t0 = Date.now();
  const p = start(cmd, args, opts);
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      signalGroup(p.child, 'SIGTERM');
      setTimeout(() => signalGroup(p.child, 'SIGKILL'), 5000).unref();
    },
    Math.max(1, opts.timeoutMs),
  );
  const code = await p.exited;
  clearTimeout(timer);
  signalGroup(p.child, 'SIGKILL'); // stragglers the command left behind
  await Promise.race([p.closed, new Promise((r) => setTimeout(r, 2000))]);
  return { code, stdout: p.stdout(), stderr: p.stderr(), timedOut, ms: Date.now() - t0 };
}

/** Waits until the child prints a line matching `re` (on stdout or stderr). */
export async function waitForOutput(p: Proc, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = re.exec(p.stderr()) ?? re.exec(p.stdout());
    if (m) return m;
    if (!running(p.child)) throw new Error(`exited before printing ${re}:\n${tail(p)}`);
    if (Date.now() > deadline) throw new Error(`did not print ${re} within ${timeoutMs} ms:\n${tail(p)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `url` until it answers 200. */
export async function waitForHttp200(p: Proc, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (!running(p.child)) throw new Error(`exited before ${url} answered 200:\n${tail(p)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${tail(p)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function tail(p: Proc, lines = 15): string {
  const text = `${p.stderr()}\n${p.stdout()}`.trim();
  return text
    .split('\n')
    .slice(-lines)
    .map((l) => `    | ${l}`)
    .join('\n');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const exitHooks = new Set<() => void>();

/** Registers synchronous cleanup (e.g. removing a temp dir) that also runs on SIGINT/SIGTERM/deadline. */
export function atExit(hook: () => void): () => void {
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

/** Kills every live child group and runs the exit hooks; used on exit, signals and the deadline. */
export function killAll(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
  live.clear();
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      /* best effort */
    }
  }
  exitHooks.clear();
}

export function installCleanup(deadlineMs: number): void {
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // `on`, not `once`: a group-wide signal may arrive twice (directly and relayed by tsx/npm).
    process.on(sig, () => {
      process.stderr.write(`conformance: ${sig}, stopping children\n`);
      killAll();
      process.exit(130);
    });
  }
  setTimeout(() => {
    process.stderr.write(`conformance: whole run exceeded ${Math.round(deadlineMs / 1000)} s, giving up\n`);
    killAll();
    process.exit(1);
  }, deadlineMs).unref();
}
