// Which leg of /mcp a POST belongs to, decided from the parsed body and headers alone (no web
// Request is built on the hot path): a session id, an initialize, or anything without the
// 2026-07-28 per-request envelope is 2025-era; the SDK's classifier has the last word.
import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest } from '@modelcontextprotocol/server';

export function isLegacyPost(req: IncomingMessage, body: unknown): boolean {
  if (typeof req.headers['mcp-session-id'] === 'string') return true;
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    body,
    ...(header('mcp-protocol-version') !== undefined ? { protocolVersionHeader: header('mcp-protocol-version') } : {}),
    ...(header('mcp-method') !== undefined ? { mcpMethodHeader: header('mcp-method') } : {}),
    ...(header('mcp-name') !== undefined ? { mcpNameHeader: header('mcp-name') } : {}),
  } as never) as { kind: string };
  return outcome.kind === 'legacy';
}
