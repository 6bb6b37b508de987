// Heap per idle 2025-era session (`--only M`): open sessions with plain HTTP (initialize +
// notifications/initialized, nothing kept on the client side but the id), then read the gateway's
// own heap after a full GC (bench/lib/heap-probe.mjs) at three sizes; the figure is the slope.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Supervisor } from './procs.js';
import { startEcho, startGateway, type TargetContext } from './targets.js';

export interface IdleSessionResult {
  /** Session counts at which the heap was read. */
  sizes: number[];
  /** heapUsed (bytes) after GC at each size. */
  heap: number[];
  /** Bytes of gateway heap per idle session (slope from the first to the last size). */
  bytesPerSession: number;
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function openRawSession(url: string): Promise<string> {
  const init = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'vmcp-bench-idle', version: '1' } };
  const res = await fetch(url, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init }),
  });
  await res.arrayBuffer();
  const id = res.headers.get('mcp-session-id');
  if (res.status !== 200 || !id) throw new Error(`initialize: HTTP ${res.status}, session id ${id ?? 'missing'}`);
  const headers = { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  const ack = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  await ack.arrayBuffer();
  if (ack.status !== 202) throw new Error(`notifications/initialized: HTTP ${ack.status}`);
  return id;
}

async function openMany(url: string, count: number, ids: string[]): Promise<void> {
  const parallel = 32;
  for (let done = 0; done < count; done += parallel) {
    const batch = Math.min(parallel, count - done);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => openRawSession(url)))));
  }
}

async function readHeap(pid: number): Promise<number> {
  const file = path.join(os.tmpdir(), `vmcp-heap-${pid}`);
  fs.rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if (fs.existsSync(file) && fs.statSync(file).size > 0) return Number(fs.readFileSync(file, 'utf8'));
  }
  throw new Error(`the gateway (pid ${pid}) wrote no heap figure within 5 s`);
}

/** Sizes stay under the default per-principal session cap (1000): every session here is anonymous. */
export async function runIdleSessions(ctx: TargetContext & { sup: Supervisor }, sizes = [100, 500, 900]): Promise<IdleSessionResult> {
  const echo = await startEcho(ctx, 'echo-backend-idle');
  const probe = path.join(ctx.root, 'bench/lib/heap-probe.mjs');
  const gw = await startGateway(ctx, 'gateway-idle-sessions', { name: 'echo', transport: 'streamable-http', url: echo.url }, [
    '--import',
    probe,
  ]);
  const pid = gw.proc?.pid;
  if (!pid) throw new Error('the idle-session gateway has no pid');
  const ids: string[] = [];
  const heap: number[] = [];
  for (const size of sizes) {
    await openMany(gw.url, size - ids.length, ids);
    heap.push(await readHeap(pid));
  }
  const first = heap[0]!;
  const last = heap[heap.length - 1]!;
  const bytesPerSession = (last - first) / (sizes[sizes.length - 1]! - sizes[0]!);
  return { sizes, heap, bytesPerSession };
}
