// A real redis-server on a free loopback port, without persistence (nothing is written to disk),
// that a test can stop and start again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort, waitFor } from './gateway.js';

export interface RedisServer extends AsyncDisposable {
  readonly port: number;
  readonly address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(() => reachable(port), `redis-server on port ${port}`, 10_000);
  };
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, address: `127.0.0.1:${port}`, stop, start, [Symbol.asyncDispose]: stop };
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
