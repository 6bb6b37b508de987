// DNS-rebinding protection: when bound to loopback, only loopback Host/Origin values (plus the
// configured extras) may reach /mcp; a foreign one gets 403 (MCP transport spec, "Security").
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import { isLoopbackHost } from '../config/validate-auth.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export type Guard = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createRebindingGuard(bindHost: string, allowedHosts: readonly string[], allowedOrigins: readonly string[]): Guard {
  const loopback = isLoopbackHost(bindHost);
  if (!loopback && allowedHosts.length === 0 && allowedOrigins.length === 0) return () => true;
  const hosts = hostHeaderValidation([...(loopback ? LOOPBACK_NAMES : []), ...allowedHosts.map(hostnameOf)]);
  const origins = originValidation([...(loopback ? LOOPBACK_NAMES : []), ...allowedOrigins.map(hostnameOf)]);
  return (req, res) => hosts(req, res) && origins(req, res);
}

/** Accept "host", "host:port" or a full origin URL in the config; the SDK compares hostnames. */
function hostnameOf(value: string): string {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname;
  } catch {
    return value;
  }
}
