// A real HAProxy in front of several replicas: round robin per request, no stickiness of any kind
// (no cookies, no source hashing), so consecutive requests of one session land on different
// replicas. Health checks take a dead replica out quickly; the config lives in a temp dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './gateway.js';

export interface Balancer extends AsyncDisposable {
  /** http://127.0.0.1:PORT/mcp */
  readonly url: string;
}

export async function startHaproxy(backends: readonly { name: string; port: number }[]): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vmcp-haproxy-'));
  const servers = backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 200ms fall 1 rise 2`);
  const cfg = [
    'global',
    '  nbthread 1',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 60s',
    '  retries 2',
    '  option redispatch',
    '  option http-server-close',
    'frontend mcp',
    `  bind 127.0.0.1:${port}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk GET /health',
    ...servers,
    '',
  ].join('\n');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  const proc = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => void (err = (err + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`haproxy exited: ${err}`);
      return fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
    },
    'haproxy to serve',
    10_000,
  );
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  return { url: `${url}/mcp`, [Symbol.asyncDispose]: stop };
}
