// Test helpers: a real gateway in-process (through the same config loader as the CLI), real MCP
// clients, and fixture servers in child processes. Everything returned is AsyncDisposable.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { loadConfigText } from '../../src/config/load.js';
import { Gateway } from '../../src/app/gateway.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures/servers`;
export const EVERYTHING = `${ROOT}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
export const MEMORY = `${ROOT}node_modules/@modelcontextprotocol/server-memory/dist/index.js`;
export const FILESYSTEM = `${ROOT}node_modules/@modelcontextprotocol/server-filesystem/dist/index.js`;

export type TestGateway = Gateway & AsyncDisposable & { url: string };

/** Start a gateway from a plain config object (validated exactly like a YAML file). */
export async function startGateway(
  config: Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
): Promise<TestGateway> {
  const withPort = { ...config, server: { port: 0, ...(config['server'] as object | undefined) } };
  const { config: runtime, issues } = loadConfigText(JSON.stringify(withPort), { source: `${ROOT}test/inline.yaml`, env });
  if (!runtime) throw new Error(`invalid test config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return (await Gateway.start(runtime)) as TestGateway;
}

export function stdioBackend(name: string, script: string, args: string[] = [], extra: Record<string, unknown> = {}) {
  return { name, transport: 'stdio', command: 'node', args: [script, ...args], ...extra };
}

export interface ClientOptions {
  capabilities?: Record<string, unknown>;
  /** 'legacy' = a 2025-era client (default); '2026-07-28' = the new revision. */
  era?: 'legacy' | '2026-07-28';
  name?: string;
  /** Extra HTTP headers on every request, e.g. Authorization. */
  headers?: Record<string, string>;
}

export async function connectClient(url: string, opts: ClientOptions = {}): Promise<Client & AsyncDisposable> {
  const client = new Client(
    { name: opts.name ?? 'test-client', version: '1.0.0' },
    {
      capabilities: opts.capabilities ?? {},
      versionNegotiation: { mode: opts.era === '2026-07-28' ? { pin: '2026-07-28' } : 'legacy' },
    },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), opts.headers ? { requestInit: { headers: opts.headers } } : {}));
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

export interface Fixture extends AsyncDisposable {
  url: string;
  proc: ChildProcess;
  close(): Promise<void>;
}

/** Run a fixture server over HTTP on a free port; resolves when it prints its URL. */
export async function spawnFixture(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Fixture> {
  const proc = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`fixture ${script} did not start: ${err}`)), 10_000);
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`fixture ${script} exited with ${code}: ${err}`)));
  });
  const close = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  return { url, proc, close, [Symbol.asyncDispose]: close };
}

export function text(result: Record<string, unknown>): string {
  const content = result['content'] as { type: string; text?: string }[] | undefined;
  return content?.map((c) => c.text ?? '').join('') ?? '';
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live descendants of `root` whose command line contains `needle` (Linux /proc; no ps needed). */
export function descendants(needle: string, root = process.pid): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // the process ended while we looked
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...cmd.entries()].filter(([pid, c]) => c.includes(needle) && isDescendant(pid)).map(([pid]) => pid);
}

/** A TCP port that was free a moment ago (for configs that must know their port up front). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}
