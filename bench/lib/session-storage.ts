// Suite R: client sessions in Redis vs in memory, interleaved in one run. Two gateways with the
// same config and backend, one with `sessionStorage: {provider: redis}` on a private
// redis-server (no persistence); calls alternate between them so load and noise hit both alike.
// Also measured: Redis commands per MCP request (INFO commandstats around the calls) and the
// Redis memory one session takes (used_memory around opening `sessions` sessions).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';

export interface SessionStorageResult {
  calls: number;
  p50MemoryMs: number;
  p50RedisMs: number;
  ratio: number;
  redisCommandsPerCall: number;
  redisBytesPerSession: number;
  status: 'PASS' | 'FAIL';
}

const LIMIT = 1.15;

export async function runSessionStorage(
  root: string,
  workDir: string,
  calls: number,
  log: (m: string) => void,
): Promise<SessionStorageResult> {
  const port = await freePort();
  const redisProc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const procs: ChildProcess[] = [redisProc];
  try {
    // Commands wait in ioredis's offline queue until the server accepts connections.
    const redis = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 50 ? null : 100) });
    redis.on('error', () => undefined);
    await redis.ping();
    const echo = path.join(root, 'test/fixtures/servers/echo.mjs');
    const base = {
      name: 'bench-r',
      backends: [{ name: 'echo', transport: 'stdio', command: 'node', args: [echo, '--transport', 'stdio'] }],
    };
    const memUrl = await startGateway(root, workDir, 'mem', base, procs);
    const redisUrl = await startGateway(
      root,
      workDir,
      'redis',
      { ...base, sessionStorage: { provider: 'redis', address: `127.0.0.1:${port}` } },
      procs,
    );
    const [mem, red] = [await connect(memUrl), await connect(redisUrl)];
    const tool = (await mem.listTools()).tools[0]!.name;
    for (let i = 0; i < 20; i++)
      await Promise.all([
        mem.callTool({ name: tool, arguments: { message: 'w' } }),
        red.callTool({ name: tool, arguments: { message: 'w' } }),
      ]);
    const before = await commandCount(redis);
    const tm: number[] = [];
    const tr: number[] = [];
    for (let i = 0; i < calls; i++) {
      for (const [c, t] of i % 2
        ? ([
            [mem, tm],
            [red, tr],
          ] as const)
        : ([
            [red, tr],
            [mem, tm],
          ] as const)) {
        const t0 = performance.now();
        await c.callTool({ name: tool, arguments: { message: 'x' } });
        t.push(performance.now() - t0);
      }
    }
    const perCall = ((await commandCount(redis)) - before - 1) / calls;
    const bytes = await bytesPerSession(redis, redisUrl, 50);
    await Promise.all([mem.close(), red.close()]);
    redis.disconnect();
    const [p50MemoryMs, p50RedisMs] = [median(tm), median(tr)];
    const ratio = p50RedisMs / p50MemoryMs;
    log(`session storage: p50 memory ${p50MemoryMs.toFixed(3)} ms, redis ${p50RedisMs.toFixed(3)} ms (×${ratio.toFixed(3)})`);
    const result = { calls, p50MemoryMs, p50RedisMs, ratio, redisCommandsPerCall: perCall, redisBytesPerSession: bytes };
    return { ...result, status: ratio <= LIMIT ? 'PASS' : 'FAIL' };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
  }
}

async function startGateway(root: string, dir: string, name: string, config: object, procs: ChildProcess[]): Promise<string> {
  const file = path.join(dir, `session-storage-${name}.yaml`);
  fs.writeFileSync(file, JSON.stringify(config));
  const proc = spawn(process.execPath, [path.join(root, 'bin/vmcp.js'), 'serve', '--config', file, '--port', '0', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  procs.push(proc);
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gateway ${name} did not start`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec((out += d.toString()));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-r', version: '1' }, { capabilities: {}, versionNegotiation: { mode: 'legacy' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Total commands Redis has run (the INFO call itself counts one). */
async function commandCount(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

async function bytesPerSession(redis: Redis, url: string, n: number): Promise<number> {
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const before = await used();
  const clients = await Promise.all(Array.from({ length: n }, () => connect(url)));
  const after = await used();
  await Promise.all(clients.map((c) => c.close()));
  return Math.round((after - before) / n);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function sessionStorageMarkdown(r: SessionStorageResult): string[] {
  return [
    '',
    `## Session storage: memory vs Redis, ${r.calls} calls on one session each, alternating`,
    '',
    '| check | value | target | result |',
    '|---|---:|---:|---|',
    `| call p50 Redis / memory (${r.p50RedisMs.toFixed(3)} / ${r.p50MemoryMs.toFixed(3)} ms) | ${r.ratio.toFixed(3)} | <= ${LIMIT} | ${r.status} |`,
    '',
    `Redis commands per call: ${r.redisCommandsPerCall.toFixed(2)}; Redis memory per session: ${r.redisBytesPerSession} bytes.`,
  ];
}
