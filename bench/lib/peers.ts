// The peer gateways the bench compares vmcp with, started on loopback like every target:
//   mcp-hub   (npm mcp-hub)   serves its aggregated endpoint as legacy HTTP+SSE only (GET /mcp,
//                             POST /messages); tools are named `<server>__<tool>`
//   mcp-proxy (npm mcp-proxy) one stdio server behind Streamable HTTP at /mcp
// mcp-hub fetches a marketplace registry from the internet at start unless its cache is fresh:
// each run gets its own HOME with a fresh cache file, so no request leaves the machine.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitForHttp, type Supervisor } from './procs.js';

export interface PeerContext {
  sup: { start: Supervisor['start']; stop: Supervisor['stop'] };
  root: string;
  workDir: string;
}

/** mcp-hub's config: `servers` as in its README (`command`/`args` for stdio, `url` for HTTP). */
export type HubServers = Record<string, { command: string; args: string[] } | { url: string }>;

const START_TIMEOUT_MS = 60_000;

export const hubMain = (root: string) => path.join(root, 'node_modules/mcp-hub/dist/cli.js');
export const proxyMain = (root: string) => path.join(root, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs');

/** A HOME for mcp-hub whose marketplace cache is fresh, so it never goes to the network. */
function hubHome(workDir: string, label: string): string {
  const home = path.join(workDir, `${label}-home`);
  const cache = path.join(home, '.local/share/mcp-hub/cache');
  fs.mkdirSync(cache, { recursive: true });
  const registry = { version: 'bench', generatedAt: Date.now(), totalServers: 1, servers: [{ id: 'none', name: 'none' }] };
  fs.writeFileSync(path.join(cache, 'registry.json'), JSON.stringify({ registry, lastFetchedAt: Date.now(), serverDocumentation: {} }));
  return home;
}

export interface StartedPeer {
  url: string;
  proc: ChildProcess;
  pid: number;
  startedAt: number;
  details: Record<string, unknown>;
}

/** Start mcp-hub; resolves once its HTTP API answers (not when its servers are connected). */
export async function startHub(ctx: PeerContext, label: string, servers: HubServers): Promise<StartedPeer> {
  const configFile = path.join(ctx.workDir, `${label}.json`);
  fs.writeFileSync(configFile, JSON.stringify({ mcpServers: servers }, null, 2));
  const port = await freePort();
  const home = hubHome(ctx.workDir, label);
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
  };
  const args = [hubMain(ctx.root), '--port', String(port), '--config', configFile];
  const startedAt = performance.now();
  const { proc } = await ctx.sup.start({
    name: label,
    command: process.execPath,
    args,
    cwd: ctx.workDir,
    env,
    logFile: path.join(ctx.workDir, `${label}.log`),
  });
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, proc, START_TIMEOUT_MS).catch(async (err: unknown) => {
    await ctx.sup.stop(proc);
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    proc,
    pid: proc.pid!,
    startedAt,
    details: {
      command: `node node_modules/mcp-hub/dist/cli.js --port ${port} --config ${label}.json`,
      servers: Object.keys(servers).length,
    },
  };
}

/** Start mcp-proxy in front of one stdio command; Streamable HTTP at /mcp. */
export async function startProxy(ctx: PeerContext, label: string, command: string, args: string[]): Promise<StartedPeer> {
  const port = await freePort();
  const argv = [proxyMain(ctx.root), '--port', String(port), '--host', '127.0.0.1', '--server', 'stream', '--', command, ...args];
  const startedAt = performance.now();
  const { proc } = await ctx.sup.start({
    name: label,
    command: process.execPath,
    args: argv,
    cwd: ctx.root,
    logFile: path.join(ctx.workDir, `${label}.log`),
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  await waitForHttp(`http://127.0.0.1:${port}/ping`, proc, START_TIMEOUT_MS, 200).catch(async (err: unknown) => {
    await ctx.sup.stop(proc);
    throw err;
  });
  const rel = (a: string) => path.relative(ctx.root, a) || a;
  return { url, proc, pid: proc.pid!, startedAt, details: { command: ['node', ...argv.map(rel)].join(' ') } };
}
