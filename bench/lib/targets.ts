// The four benchmark targets. Each `start()` brings up the processes a target needs on loopback and
// returns the MCP URL to measure; all processes belong to the shared Supervisor, which stops them.
//   A everything-direct         server-everything, Streamable HTTP, no gateway
//   B gateway-everything-stdio  vmcp -> server-everything over stdio
//   C echo-direct               test/fixtures/servers/echo.mjs, Streamable HTTP (the floor)
//   D gateway-echo-http         vmcp -> echo.mjs over Streamable HTTP
//   E gateway-echo-http-auth    D with OIDC incoming auth + token exchange (bench/lib/auth-target.ts)
//   F mcp-hub-everything-stdio  mcp-hub -> server-everything over stdio (legacy SSE client side)
//   G mcp-proxy-everything-stdio mcp-proxy -> server-everything over stdio
//   H gateway-everything-stdio-sse B measured with F's client: the legacy HTTP+SSE transport (GET /sse)
//   P floor-proxy-echo-http     bench/fixtures/floor-proxy.mjs -> echo.mjs: D's hop with no logic at all
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitForHttp, type Supervisor } from './procs.js';
import { startAuthGateway } from './auth-target.js';
import { closeSession, openSession, pickEchoTool, type ClientKind } from './driver.js';
import { startHub, startProxy } from './peers.js';

export type TargetId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'P';

export interface TargetContext {
  sup: Supervisor;
  /** Project root (where package.json and node_modules are). */
  root: string;
  /** Scratch directory for generated configs and child logs. */
  workDir: string;
  /** Gateway log level written into generated configs. */
  gatewayLogLevel: string;
  /** Where vmcp's bin/ and dist/ are taken from (`--vmcp-root`, e.g. a build of an older commit); default `root`. */
  gatewayRoot?: string;
  /** Extra node flags (e.g. --cpu-prof) for the gateway of target `profileTarget` (default D, the floor case). */
  profileFlags?: string[];
  profileTarget?: TargetId;
}

export interface RunningTarget {
  url: string;
  /** Sent with every request (E: the bearer token); kept out of the report. */
  headers?: Record<string, string>;
  /** What was started, for the report (command lines, generated config). */
  details: Record<string, unknown>;
  /** The gateway process (vmcp targets), e.g. to stop it early and read its whole log. */
  proc?: ChildProcess;
  /** The process whose CPU per call is measured: the gateway, or the server itself for a direct target. */
  pid?: number;
}

export interface TargetSpec {
  id: TargetId;
  name: string;
  description: string;
  usesGateway: boolean;
  /** How the bench client connects (default Streamable HTTP). */
  client?: ClientKind;
  start(ctx: TargetContext): Promise<RunningTarget>;
}

const READY = /listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 20_000;

const everythingEntry = (root: string) => path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const echoEntry = (root: string) => path.join(root, 'test/fixtures/servers/echo.mjs');
const floorProxyEntry = (root: string) => path.join(root, 'bench/fixtures/floor-proxy.mjs');
export const gatewayMain = (root: string) => path.join(root, 'dist/cli/main.js');
/** The vmcp launcher the bench runs. */
export const vmcpBin = (ctx: { root: string; gatewayRoot?: string }) => path.join(ctx.gatewayRoot ?? ctx.root, 'bin/vmcp.js');

async function startEverythingHttp(ctx: TargetContext): Promise<RunningTarget> {
  const port = await freePort();
  const args = [everythingEntry(ctx.root), 'streamableHttp'];
  // server-everything reads PORT and logs every request on stdout: the log file takes it.
  const { proc } = await ctx.sup.start({
    name: 'server-everything',
    command: process.execPath,
    args,
    cwd: ctx.root,
    env: { ...process.env, PORT: String(port) },
    logFile: path.join(ctx.workDir, 'everything-direct.log'),
    readyLine: /listening on port (\d+)/,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
  const command = ['node', ...args.map((a) => path.relative(ctx.root, a) || a)].join(' ');
  return { url: `http://127.0.0.1:${port}/mcp`, pid: proc.pid!, details: { command, env: { PORT: port } } };
}

export function startEcho(ctx: TargetContext, label: string): Promise<RunningTarget> {
  return startListening(ctx, label, [echoEntry(ctx.root), '--transport', 'streamable-http', '--port', '0']);
}

/** A node script of the bench's own that prints `listening on <url>` on stderr once it serves. */
async function startListening(ctx: TargetContext, label: string, args: string[]): Promise<RunningTarget> {
  const { ready, proc } = await ctx.sup.start({
    name: label,
    command: process.execPath,
    args,
    cwd: ctx.root,
    logFile: path.join(ctx.workDir, `${label}.log`),
    readyLine: READY,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
  if (!ready) throw new Error(`${label}: no URL in ready line`);
  return { url: ready, pid: proc.pid!, details: { command: ['node', ...args.map((a) => path.relative(ctx.root, a) || a)].join(' ') } };
}

/** The gateway config for a single backend; priority resolution keeps tool names bare (`echo`). */
export function gatewayConfig(backend: Record<string, unknown>, logLevel: string): Record<string, unknown> {
  const name = String(backend.name);
  return {
    name: 'vmcp-bench',
    backends: [backend],
    aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: [name] } },
    operational: { logLevel },
  };
}

export function assertGatewayBuilt(root: string): void {
  if (!fs.existsSync(gatewayMain(root))) {
    throw new Error(`gateway not built: ${path.relative(root, gatewayMain(root))} is missing (run npm run build)`);
  }
}

export async function startGateway(
  ctx: TargetContext,
  label: string,
  backend: Record<string, unknown>,
  nodeFlags: string[] = [],
  extra: Record<string, unknown> = {},
): Promise<RunningTarget> {
  assertGatewayBuilt(ctx.gatewayRoot ?? ctx.root);
  const config = { ...gatewayConfig(backend, ctx.gatewayLogLevel), ...extra };
  const configFile = path.join(ctx.workDir, `${label}.yaml`);
  fs.writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const args = [...nodeFlags, vmcpBin(ctx), 'serve', '--config', configFile, '--host', '127.0.0.1', '--port', String(port)];
  const logFile = path.join(ctx.workDir, `${label}.log`);
  const { proc } = await ctx.sup.start({ name: label, command: process.execPath, args, cwd: ctx.root, logFile });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, proc, START_TIMEOUT_MS);
  } catch (err) {
    await ctx.sup.stop(proc);
    throw new Error(`${label}: gateway not healthy: ${(err as Error).message}; log tail:\n${tail(logFile)}`, { cause: err });
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    proc,
    pid: proc.pid!,
    details: { command: `node bin/vmcp.js serve --config ${label}.yaml --host 127.0.0.1 --port ${port}`, config },
  };
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const TARGETS: readonly TargetSpec[] = [
  {
    id: 'A',
    name: 'everything-direct',
    usesGateway: false,
    description: 'server-everything over Streamable HTTP, no gateway',
    start: startEverythingHttp,
  },
  {
    id: 'B',
    name: 'gateway-everything-stdio',
    usesGateway: true,
    description: 'vmcp gateway fronting server-everything over stdio',
    start: (ctx) =>
      startGateway(
        ctx,
        'gateway-everything-stdio',
        { name: 'everything', transport: 'stdio', command: 'node', args: [everythingEntry(ctx.root), 'stdio'] },
        ctx.profileTarget === 'B' ? ctx.profileFlags : undefined,
      ),
  },
  {
    id: 'C',
    name: 'echo-direct',
    usesGateway: false,
    description: 'echo.mjs fixture over Streamable HTTP, no gateway (the floor)',
    start: (ctx) => startEcho(ctx, 'echo-direct'),
  },
  {
    id: 'D',
    name: 'gateway-echo-http',
    usesGateway: true,
    description: 'vmcp gateway fronting echo.mjs over Streamable HTTP',
    start: async (ctx) => {
      assertGatewayBuilt(ctx.gatewayRoot ?? ctx.root);
      const echo = await startEcho(ctx, 'echo-backend');
      const gw = await startGateway(
        ctx,
        'gateway-echo-http',
        { name: 'echo', transport: 'streamable-http', url: echo.url },
        (ctx.profileTarget ?? 'D') === 'D' ? ctx.profileFlags : undefined,
      );
      return { url: gw.url, ...(gw.proc ? { proc: gw.proc, pid: gw.proc.pid! } : {}), details: { ...gw.details, backend: echo.details } };
    },
  },
  {
    id: 'P',
    name: 'floor-proxy-echo-http',
    usesGateway: true,
    description: 'a zero-logic Node proxy (undici Pool, bodies passed whole) fronting echo.mjs: the cost of any hop on this machine',
    start: async (ctx) => {
      const echo = await startEcho(ctx, 'echo-backend-floor');
      const proxy = await startListening(ctx, 'floor-proxy', [floorProxyEntry(ctx.root), '--upstream', echo.url, '--port', '0']);
      return { ...proxy, details: { ...proxy.details, backend: echo.details } };
    },
  },
  {
    id: 'E',
    name: 'gateway-echo-http-auth',
    usesGateway: true,
    description: 'D with a JWT validated on every request and a cached RFC 8693 token exchange',
    start: async (ctx) => {
      assertGatewayBuilt(ctx.gatewayRoot ?? ctx.root);
      const echo = await startEcho(ctx, 'echo-backend-auth');
      const gw = await startAuthGateway(ctx, echo.url);
      return { url: gw.url, headers: gw.headers, details: { ...gw.details, backend: echo.details } };
    },
  },
  {
    id: 'F',
    name: 'mcp-hub-everything-stdio',
    usesGateway: true,
    client: 'sse',
    description: 'mcp-hub fronting server-everything over stdio (mcp-hub serves legacy HTTP+SSE only)',
    start: async (ctx) => {
      const hub = await startHub(ctx, 'mcp-hub-everything', {
        everything: { command: process.execPath, args: [everythingEntry(ctx.root), 'stdio'] },
      });
      await waitForTool(hub.url, 'sse');
      return { url: hub.url, pid: hub.pid, details: hub.details };
    },
  },
  {
    id: 'H',
    name: 'gateway-everything-stdio-sse',
    usesGateway: true,
    client: 'sse',
    description: 'B through the legacy HTTP+SSE transport (GET /sse), the client mcp-hub is measured with',
    start: async (ctx) => {
      const gw = await startGateway(ctx, 'gateway-everything-stdio-sse', {
        name: 'everything',
        transport: 'stdio',
        command: 'node',
        args: [everythingEntry(ctx.root), 'stdio'],
      });
      return { ...gw, url: gw.url.replace(/\/mcp$/, '/sse') };
    },
  },
  {
    id: 'G',
    name: 'mcp-proxy-everything-stdio',
    usesGateway: true,
    description: 'mcp-proxy fronting server-everything over stdio',
    start: async (ctx) => {
      const proxy = await startProxy(ctx, 'mcp-proxy-everything', process.execPath, [everythingEntry(ctx.root), 'stdio']);
      return { url: proxy.url, pid: proxy.pid, details: proxy.details };
    },
  },
];

/** mcp-hub answers before its servers are connected: wait until the echo tool is listed. */
async function waitForTool(url: string, kind: ClientKind, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const s = await openSession(url, 5000, undefined, kind);
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      await closeSession(s);
      if (pickEchoTool(names)) return;
      last = `tools: ${names.join(', ') || 'none'}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: no echo tool within ${timeoutMs} ms (last: ${last})`);
}

/** `--only A,C` or `--only echo-direct`; case-insensitive ids or names. */
export function selectTargets(only: string | undefined): TargetSpec[] {
  if (only === undefined) return [...TARGETS];
  const wanted = only
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const picked = TARGETS.filter((t) => wanted.includes(t.id.toLowerCase()) || wanted.includes(t.name));
  const unknown = wanted.filter((w) => !TARGETS.some((t) => t.id.toLowerCase() === w || t.name === w));
  if (unknown.length)
    throw new Error(`unknown target(s) ${unknown.join(', ')}; use ${TARGETS.map((t) => t.id).join(',')} or the suites S, W`);
  return picked;
}
