// The gateway as an operator runs it: `node bin/vmcp.js serve --config <file>` in a child process
// (optionally under a heap cap or a low file-descriptor limit), so the abuse tests go through
// the real front door: the built CLI, the config loader, the HTTP listener and its sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, waitFor } from '../../helpers/gateway.js';
import { LogWatcher } from './log-watcher.js';
import { rssBytes } from './proc.js';

export interface CliOptions {
  /** Extra node flags, e.g. ['--max-old-space-size=256']. */
  nodeArgs?: string[];
  /** Run under `prlimit --nofile=N:N` (soft and hard file-descriptor limit). */
  nofile?: number;
  /** Log level of the gateway (default info: backend stderr lines and warnings are logged). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  env?: Record<string, string>;
}

export interface BackendStatus {
  name: string;
  health: string;
  status: string;
  consecutiveFailures: number;
  circuit: string;
  message: string;
}

export interface StatusReport {
  phase: string;
  backends: BackendStatus[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliGateway extends AsyncDisposable {
  /** http://127.0.0.1:PORT/mcp */
  url: string;
  /** http://127.0.0.1:PORT */
  base: string;
  pid: number;
  child: ChildProcess;
  logs: LogWatcher;
  exited: Promise<Exit>;
  alive(): boolean;
  stdout(): string;
  rss(): number;
  status(): Promise<StatusReport>;
  backend(name: string): Promise<BackendStatus>;
  /** `p`, or a rejection naming the exit (and the log tail) if the gateway dies first. */
  guard<T>(p: Promise<T>): Promise<T>;
  /** Signal the gateway and wait for it to exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

const BIN = join(ROOT, 'bin/vmcp.js');

/** These tests drive the built CLI, so a dist/ older than src/ would test yesterday's code. */
function assertBuilt(): void {
  let built: number;
  try {
    built = statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs;
  } catch {
    throw new Error('dist/ is missing: run `npm run build` before test/abuse (it drives bin/vmcp.js)');
  }
  const newest = newestMtime(join(ROOT, 'src'));
  if (newest > built) throw new Error('dist/ is older than src/: run `npm run build` before test/abuse (it drives bin/vmcp.js)');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

/** Write `config` (JSON is YAML) to a temp vmcp.yaml and return its path. */
export function writeConfig(config: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vmcp-abuse-')), 'vmcp.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Start `vmcp serve` on a free loopback port; resolves once it printed its URL. */
export async function startCli(config: Record<string, unknown>, opts: CliOptions = {}): Promise<CliGateway> {
  assertBuilt();
  const node = [...(opts.nodeArgs ?? []), BIN, 'serve', '--config', writeConfig(config), '--port', '0'];
  const args = [...node, '--log-level', opts.logLevel ?? 'info', '--log-format', 'json'];
  const [cmd, argv] = opts.nofile
    ? ['prlimit', [`--nofile=${opts.nofile}:${opts.nofile}`, '--', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(cmd as string, argv as string[], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-64_000)));
  const logs = new LogWatcher(child.stderr!);
  const exited = new Promise<Exit>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let ended: Exit | undefined;
  void exited.then((e) => (ended = e));
  const url = await waitFor(
    () => {
      if (ended) throw new Error(`vmcp serve exited (${JSON.stringify(ended)}) before listening:\n${out}\n${logs.tail(20)}`);
      return /listening on (\S+)/.exec(out)?.[1];
    },
    'the gateway to print its URL',
    30_000,
  );
  return handle(
    child,
    url,
    logs,
    exited,
    () => ended === undefined,
    () => out,
  );
}

function handle(child: ChildProcess, url: string, logs: LogWatcher, exited: Promise<Exit>, alive: () => boolean, out: () => string) {
  const base = url.replace(/\/mcp$/, '');
  const pid = child.pid!;
  const status = async (): Promise<StatusReport> => (await fetch(`${base}/status`)).json() as Promise<StatusReport>;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> => {
    if (alive()) child.kill(signal);
    const timer = setTimeout(() => alive() && child.kill('SIGKILL'), timeoutMs);
    const e = await exited;
    clearTimeout(timer);
    return e;
  };
  const gw: CliGateway = {
    url,
    base,
    pid,
    child,
    logs,
    exited,
    alive,
    stdout: out,
    rss: () => rssBytes(pid),
    status,
    async backend(name) {
      const b = (await status()).backends.find((x) => x.name === name);
      if (!b) throw new Error(`backend ${name} is not in /status`);
      return b;
    },
    stop,
    guard: <T>(p: Promise<T>) =>
      Promise.race([
        p,
        exited.then((e): never => {
          throw new Error(`the gateway exited (${JSON.stringify(e)}) while a test waited; last log lines:\n${logs.tail(8)}`);
        }),
      ]),
    [Symbol.asyncDispose]: async () => void (await stop()),
  };
  return gw;
}
