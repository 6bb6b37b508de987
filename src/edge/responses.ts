// HTTP answers the edge writes itself. Every error answer goes through the one wire mapper
// (errors/to-wire.ts): a stable VMCP_* code in `error.data.code`, the HTTP status that code maps
// to, and Retry-After where the refusal is temporary.
import type { ServerResponse } from 'node:http';
import { httpHeadersFor, httpStatusFor, toWireError } from '../errors/to-wire.js';
import { VmcpError } from '../errors/codes.js';
import { channels, publish, type RefusedEvent } from '../observability/channels.js';
import type { RequestId } from '../protocol/index.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** An error answered at the HTTP level, as a JSON-RPC error (id null: the request could not be served). */
export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}, id: RequestId | null = null): void {
  const limit = err instanceof VmcpError ? err.details?.['limit'] : undefined;
  if (typeof limit === 'string') publish<RefusedEvent>(channels.refused, { limit });
  sendJson(res, httpStatusFor(err), { jsonrpc: '2.0', id, error: toWireError(err) }, { ...httpHeadersFor(err), ...headers });
}
