// The things the suites run against: the conformance backend on its own, and the gateway
// (`node bin/vmcp.js serve`) fronting that backend over one backend transport. `streamable-http-2026`
// is the Streamable HTTP backend with the gateway pinned to protocolVersion 2026-07-28 toward it
// (the other targets talk the 2025-era protocol to the backend).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { atExit, freePort, start, stop, tail, waitForHttp200, waitForOutput, type Proc } from './children.js';

export type BackendTransport = 'stdio' | 'streamable-http' | 'sse' | 'streamable-http-2026';
export const BACKEND_TRANSPORTS: readonly BackendTransport[] = ['stdio', 'streamable-http', 'sse', 'streamable-http-2026'];

export interface Target {
  /** The MCP endpoint the suite talks to. */
  url: string;
  /** Stops everything this target started; returns problems worth reporting (e.g. orphans). */
  close(): Promise<string[]>;
}

export const backendScript = (root: string): string => join(root, 'test', 'fixtures', 'servers', 'conformance-backend.mjs');

/** Starts the conformance backend over HTTP on a free port and returns its endpoint URL. */
export async function startBackend(root: string, transport: 'streamable-http' | 'sse', timeoutMs = 20_000): Promise<Target> {
  const p = start(process.execPath, [backendScript(root), '--transport', transport, '--host', '127.0.0.1', '--port', '0'], { cwd: root });
  try {
    const m = await waitForOutput(p, /listening on (http:\/\/\S+)/, timeoutMs);
    return { url: m[1] ?? '', close: async () => problems('backend', p, await stop(p)) };
  } catch (e) {
    await stop(p, 1000);
    throw new Error(`conformance backend (${transport}) did not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function problems(what: string, p: Proc, r: { code: number; leftovers: boolean }): string[] {
  const out: string[] = [];
  if (r.leftovers) out.push(`${what} left processes behind after it exited (killed them)`);
  if (r.code !== 0 && r.code !== 128 + 15) out.push(`${what} exited with ${r.code} on SIGTERM:\n${tail(p, 8)}`);
  return out;
}

export function gatewayBuilt(root: string): boolean {
  return existsSync(join(root, 'dist', 'cli', 'main.js'));
}

/** The gateway config: one backend, priority resolution, so names stay unprefixed. */
export function gatewayConfig(root: string, transport: BackendTransport, backendUrl?: string): Record<string, unknown> {
  const backend =
    transport === 'stdio'
      ? { name: 'conformance', transport, command: 'node', args: [backendScript(root), '--transport', 'stdio'] }
      : transport === 'streamable-http-2026'
        ? { name: 'conformance', transport: 'streamable-http', url: backendUrl, protocolVersion: '2026-07-28' }
        : { name: 'conformance', transport, url: backendUrl };
  return {
    name: 'vmcp-conformance',
    backends: [backend],
    aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conformance'] } },
  };
}

export interface GatewayOptions {
  startTimeoutMs: number;
  /** Path of the MCP endpoint on the gateway (default /mcp). */
  path: string;
}

/** Starts (if needed) an HTTP backend, then the gateway in front of it; waits for GET /health = 200. */
export async function startGateway(root: string, transport: BackendTransport, o: GatewayOptions): Promise<Target> {
  const backend = transport === 'stdio' ? undefined : await startBackend(root, transport === 'sse' ? 'sse' : 'streamable-http');
  const tmp = mkdtempSync(join(tmpdir(), 'vmcp-conformance-'));
  const removeTmp = (): void => rmSync(tmp, { recursive: true, force: true });
  const unhook = atExit(removeTmp);
  const cleanup = async (): Promise<string[]> => {
    const found = (await backend?.close()) ?? [];
    removeTmp();
    unhook();
    return found;
  };
  const config = join(tmp, 'vmcp.yaml');
  writeFileSync(config, stringify(gatewayConfig(root, transport, backend?.url)));
  const port = await freePort();
  const p = start(
    process.execPath,
    [join(root, 'bin', 'vmcp.js'), 'serve', '--config', config, '--host', '127.0.0.1', '--port', String(port)],
    { cwd: root },
  );
  try {
    await waitForHttp200(p, `http://127.0.0.1:${port}/health`, o.startTimeoutMs);
  } catch (e) {
    await stop(p, 2000);
    await cleanup();
    throw new Error(`gateway did not become healthy: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return {
    url: `http://127.0.0.1:${port}${o.path}`,
    close: async () => [...problems('gateway', p, await stop(p, 10_000)), ...(await cleanup())],
  };
}
