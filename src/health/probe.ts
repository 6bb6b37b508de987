// Health probes are real MCP exchanges, not TCP checks (ToolHive: pkg/vmcp/health/checker.go).
// A connected backend is pinged and asked for the first page of its tools over its live session
// (a stdio backend is never spawned twice; a backend that answers ping but hangs on real work is
// caught);
// an HTTP backend that is not connected gets a fresh initialize handshake, so the probe can tell
// "refuses the connection" from "answers 401 without credentials".
import type { Transport } from '@modelcontextprotocol/client';
import { handshake } from '../backends/handshake.js';
import type { BackendConnector } from '../backends/connector.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';

export type Probe = (signal: AbortSignal, timeoutMs: number) => Promise<void>;

export function createProbe(connector: BackendConnector, handshakeTransport?: () => Transport): Probe {
  return async (signal, timeoutMs) => {
    if (connector.state === 'ready') {
      await connector.request({ method: 'ping' }, { signal, timeoutMs });
      if (connector.info?.capabilities['tools']) await connector.request({ method: 'tools/list', params: {} }, { signal, timeoutMs });
      return;
    }
    if (!handshakeTransport) {
      throw new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, `backend "${connector.name}" is ${connector.state}`, { backend: connector.name });
    }
    await handshake(handshakeTransport(), signal, timeoutMs);
  };
}
