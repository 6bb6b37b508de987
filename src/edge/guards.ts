// DNS-rebinding protection: when bound to loopback, only loopback Host/Origin values (plus the
// configured extras) may reach /mcp, /status and /readyz; a foreign one gets 403 (MCP transport
// spec, "Security Warning"). A page on another site could otherwise read backend names and health.
import type { IncomingMessage } from 'node:http';
import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { isLoopbackHost } from '../config/validate-auth.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];
const MAX_ACCEPTED_HOSTS = 32;

/** The refusal for a request that must not be served, or undefined. */
export type Guard = (req: IncomingMessage) => VmcpError | undefined;

export function createRebindingGuard(bindHost: string, allowedHosts: readonly string[], allowedOrigins: readonly string[]): Guard {
  const loopback = isLoopbackHost(bindHost);
  if (!loopback && allowedHosts.length === 0 && allowedOrigins.length === 0) return () => undefined;
  const hosts = [...(loopback ? LOOPBACK_NAMES : []), ...allowedHosts.map(hostnameOf)];
  const origins = [...(loopback ? LOOPBACK_NAMES : []), ...allowedOrigins.map(hostnameOf)];
  // Host values already accepted (a client sends the same one on every request): no URL parse per
  // request. Only accepted values are kept, and only a few, so foreign Host headers cannot grow it.
  const accepted = new Set<string>();
  return (req) => {
    const hostHeader = req.headers.host;
    if (hostHeader === undefined || !accepted.has(hostHeader)) {
      const host = validateHostHeader(hostHeader, hosts);
      if (!host.ok) return new VmcpError(ErrorCodes.HOST_NOT_ALLOWED, `Forbidden: ${host.message}`);
      if (hostHeader !== undefined && accepted.size < MAX_ACCEPTED_HOSTS) accepted.add(hostHeader);
    }
    const origin = validateOriginHeader(req.headers.origin, origins);
    if (!origin.ok) return new VmcpError(ErrorCodes.HOST_NOT_ALLOWED, `Forbidden: ${origin.message}`);
    return undefined;
  };
}

/** Accept "host", "host:port" or a full origin URL in the config; the SDK compares hostnames. */
function hostnameOf(value: string): string {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname;
  } catch {
    return value;
  }
}
