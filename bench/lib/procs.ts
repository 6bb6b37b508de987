// Child-process supervision for the benchmark: every server the bench starts goes through here, so
// every one of them is stopped on every exit path (normal end, error, Ctrl-C, SIGTERM, timeout).
// Children are spawned `detached` (their own process group) and stopped with a signal to the whole
// group, so a gateway's own stdio backends die with it even if the gateway misbehaves.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Child stdout+stderr go to this file (stdout only when `readyLine` is used). */
  logFile: string;
  /** Wait for a stderr line matching this; the first capture group is returned. */
  readyLine?: RegExp;
  readyTimeoutMs?: number;
}

export interface Started {
  proc: ChildProcess;
  /** First capture group of `readyLine`, if any. */
  ready?: string;
}

export class Supervisor {
  readonly #children = new Set<ChildProcess>();
  #exitHookInstalled = false;

  async start(opts: StartOptions): Promise<Started> {
    this.#installExitHook();
    const log = fs.openSync(opts.logFile, 'a');
    const proc = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, opts.readyLine ? 'pipe' : log],
    });
    fs.closeSync(log);
    this.#children.add(proc);
    proc.once('exit', () => this.#children.delete(proc));
    if (!opts.readyLine) return { proc };
    try {
      const ready = await waitForLine(proc, opts.readyLine, opts.readyTimeoutMs ?? 15_000, opts.logFile);
      return { proc, ready };
    } catch (err) {
      await this.stop(proc);
      throw new Error(`${opts.name} did not start: ${(err as Error).message} (log: ${opts.logFile})`, { cause: err });
    }
  }

  /** SIGTERM the child's process group, SIGKILL it after `graceMs`. Idempotent. */
  async stop(proc: ChildProcess, graceMs = 3000): Promise<void> {
    const pid = proc.pid;
    if (pid === undefined) return;
    const exited =
      proc.exitCode !== null || proc.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    signalGroup(pid, 'SIGTERM');
    const timer = delay(graceMs).then(() => 'timeout' as const);
    if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
      signalGroup(pid, 'SIGKILL');
      await Promise.race([exited, delay(1000)]);
    }
    // Stragglers left in the group (e.g. a backend the gateway spawned) go too.
    signalGroup(pid, 'SIGKILL');
    this.#children.delete(proc);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((p) => this.stop(p)));
  }

  /** Last resort from a synchronous 'exit' handler: no waiting possible, so SIGKILL. */
  killAllSync(): void {
    for (const p of this.#children) if (p.pid !== undefined) signalGroup(p.pid, 'SIGKILL');
    this.#children.clear();
  }

  #installExitHook(): void {
    if (this.#exitHookInstalled) return;
    this.#exitHookInstalled = true;
    process.once('exit', () => this.killAllSync());
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function waitForLine(proc: ChildProcess, re: RegExp, timeoutMs: number, logFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let done = false;
    const finish = (err: Error | null, value = '') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    // Keep draining stderr into the log after the ready line so the child never blocks on a full pipe.
    proc.stderr?.on('data', (chunk: Buffer) => {
      fs.appendFileSync(logFile, chunk);
      if (done) return;
      buf += chunk.toString('utf8');
      const m = re.exec(buf);
      if (m) finish(null, m[1] ?? m[0]);
    });
    proc.once('exit', (code, sig) => finish(new Error(`exited early (code ${code}, signal ${sig})`)));
    proc.once('error', (err) => finish(err));
  });
}

/** A currently free TCP port on 127.0.0.1 (for servers that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Poll `url` until it answers `status` (default 200); fail if `proc` exits or time runs out. */
export async function waitForHttp(url: string, proc: ChildProcess, timeoutMs: number, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`process exited (code ${proc.exitCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await delay(100);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})`);
}

/** Wait for a TCP listener on 127.0.0.1:port (for servers that print no parseable ready line). */
export async function waitForPort(port: number, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`process exited (code ${proc.exitCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await delay(50);
  }
  throw new Error(`port ${port} not listening within ${timeoutMs} ms`);
}

/**
 * CPU time (ns) process `pid` has used so far, summed over its threads (the event loop, the libuv
 * pool, V8's GC and compiler threads) from the kernel's per-thread run time. Undefined where
 * /proc does not give it (not Linux, or the process is gone).
 */
export function cpuNanos(pid: number): number | undefined {
  try {
    let total = 0;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    return Number.isFinite(total) && total > 0 ? total : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it (its backends, their helpers), from /proc's children lists. */
function withDescendants(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) out.push(...withDescendants(Number(child)));
    }
  } catch {
    // gone, or no children lists here: the process itself still counts
  }
  return out;
}

/**
 * Wait until the processes in `pids` and their descendants are quiet: under 10 ms of CPU (5 % of one core) in a 200 ms
 * window, for at most `maxMs`. A target's teardown (its sessions closing) can keep its processes
 * busy for seconds, and the next target measured would pay for it. Resolves with the ms waited.
 */
export async function settle(pids: readonly number[], maxMs = 5000): Promise<number> {
  const started = Date.now();
  const all = pids.flatMap((pid) => withDescendants(pid));
  const total = () => all.reduce((sum, pid) => sum + (cpuNanos(pid) ?? 0), 0);
  for (let before = total(); Date.now() - started < maxMs;) {
    await delay(200);
    const now = total();
    if (now - before < 10e6) break;
    before = now;
  }
  return Date.now() - started;
}
