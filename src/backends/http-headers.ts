// The request headers of a Streamable HTTP backend exchange (MCP 2025-06-18 "Transports" §2.5,
// §2.7; 2026-07-28 SEP-2243 for Mcp-Method / Mcp-Name). Names are lower-case so a configured
// `Authorization` and an outgoing-auth `authorization` cannot both go out.
import { PROTOCOL_VERSION_META_KEY, type JSONRPCMessage } from '@modelcontextprotocol/client';

export type Headers = Record<string, string>;

/** Headers a caller's per-message headers may not replace (the SDK keeps the same list). */
const RESERVED = new Set(['authorization', 'dpop', 'content-type', 'mcp-protocol-version', 'mcp-method', 'mcp-name', 'mcp-session-id']);

/** Which param names the resource a method acts on (SEP-2243 `Mcp-Name`). */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

export function lowerCased(headers: Readonly<Record<string, string>> | undefined): Headers {
  const out: Headers = {};
  if (headers) for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

export interface Connection {
  sessionId: string | undefined;
  protocolVersion: string | undefined;
}

/** Headers every exchange carries: configured ones, then outgoing auth, then the session's. */
export function commonHeaders(fixed: Headers, auth: Readonly<Record<string, string>> | undefined, conn: Connection): Headers {
  const h: Headers = { ...fixed };
  if (auth) for (const [k, v] of Object.entries(auth)) h[k.toLowerCase()] = v;
  if (conn.sessionId) h['mcp-session-id'] = conn.sessionId;
  if (conn.protocolVersion) h['mcp-protocol-version'] = conn.protocolVersion;
  return h;
}

/**
 * A POST's headers. A request carrying a protocol-version claim in `_meta` (the 2026-07-28
 * envelope) names its own version, method and target; `initialize` never carries a session id.
 */
export function postHeaders(common: Headers, message: JSONRPCMessage, perMessage: Readonly<Record<string, string>> | undefined): Headers {
  const h = common;
  const m = message as { method?: unknown; id?: unknown; params?: Record<string, unknown> };
  if (m.method === 'initialize') delete h['mcp-session-id'];
  const claim = envelopeVersion(message);
  if (claim !== undefined && typeof m.method === 'string') {
    h['mcp-protocol-version'] = claim;
    h['mcp-method'] = m.method;
    const field = NAME_SOURCE[m.method];
    const value = field ? m.params?.[field] : undefined;
    if (typeof value === 'string') h['mcp-name'] = encodeParamValue(value);
  }
  if (perMessage) for (const [k, v] of Object.entries(perMessage)) if (!RESERVED.has(k.toLowerCase())) h[k.toLowerCase()] = v;
  h['content-type'] = 'application/json';
  h['accept'] = mergeAccept(h['accept'], ['application/json', 'text/event-stream']);
  return h;
}

export function mergeAccept(current: string | undefined, add: readonly string[]): string {
  const types = [...(current?.split(',').map((s) => s.trim().toLowerCase()) ?? []), ...add].filter(Boolean);
  return [...new Set(types)].join(', ');
}

/** The `_meta` protocol-version claim of a single request, if any. */
export function envelopeVersion(message: JSONRPCMessage): string | undefined {
  const m = message as { method?: unknown; id?: unknown; params?: { _meta?: Record<string, unknown> } };
  if (typeof m.method !== 'string' || m.id === undefined) return undefined;
  const v = m.params?._meta?.[PROTOCOL_VERSION_META_KEY];
  return typeof v === 'string' ? v : undefined;
}

const B64_PREFIX = '=?base64?';
const B64_SUFFIX = '?=';

/** SEP-2243 value encoding: a plain printable-ASCII value as is, anything else as sentinel base64. */
function encodeParamValue(s: string): string {
  const plain = s.length > 0 && s === s.trim() && !(s.startsWith(B64_PREFIX) && s.endsWith(B64_SUFFIX)) && /^[\t\x20-\x7e]*$/.test(s);
  return plain ? s : `${B64_PREFIX}${Buffer.from(s, 'utf8').toString('base64')}${B64_SUFFIX}`;
}
