// The HTTP edge: /mcp (Streamable HTTP, both protocol eras on one URL), /health and /ping.
// Each request is checked here (Host/Origin, size, JSON, JSON-RPC shape) before the MCP SDK sees
// it, then routed: a session id or a 2025-era body → the sessionful legacy leg; else 2026-07-28.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import type { EdgeEvents, ListKind } from './events.js';
import { readBody } from './body.js';
import { createRebindingGuard, type Guard } from './guards.js';
import type { LegacyEndpoint } from './legacy-endpoint.js';
import type { ModernEndpoint } from './modern-endpoint.js';
import { sendJson, sendJsonRpcError } from './responses.js';
import { ANONYMOUS, type Principal } from '../auth/types.js';
import type { Authenticator } from '../auth/incoming/index.js';

export interface HttpEdgeOptions {
  host: string;
  port: number;
  maxRequestBodyBytes: number;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  legacy: LegacyEndpoint;
  modern: ModernEndpoint;
  /** Extra GET routes (status pages), answered before /mcp. */
  routes?: ReadonlyMap<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Incoming auth for /mcp (anonymous when absent). */
  authenticator?: Authenticator;
  events: EdgeEvents;
}

export class HttpEdge {
  #opts: HttpEdgeOptions;
  #server: HttpServer;
  #guard: Guard;
  #inflight = 0;
  #drained: (() => void) | undefined;
  #closing = false;

  constructor(opts: HttpEdgeOptions) {
    this.#opts = opts;
    this.#guard = createRebindingGuard(opts.host, opts.allowedHosts, opts.allowedOrigins);
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    opts.events.on('listChanged', (kinds) => this.listChanged(kinds));
    opts.events.on('resourceUpdated', (uri, params) => this.resourceUpdated(uri, params));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#opts.port, this.#opts.host, () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    const host = this.#opts.host.includes(':') ? `[${this.#opts.host}]` : this.#opts.host;
    return `http://${host}:${port}/mcp`;
  }

  listChanged(kinds: readonly ListKind[]): void {
    this.#opts.legacy.listChanged(kinds);
    this.#opts.modern.listChanged(kinds);
  }

  resourceUpdated(uri: string, params: Record<string, unknown>): void {
    this.#opts.legacy.resourceUpdated(uri, params);
    this.#opts.modern.resourceUpdated(uri);
  }

  /** Stop accepting, let in-flight POSTs finish (bounded), then close sessions and sockets. */
  async close(graceMs: number): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inflight > 0) {
      await Promise.race([new Promise<void>((r) => (this.#drained = r)), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    await Promise.all([this.#opts.legacy.close(), this.#opts.modern.close()]);
    this.#server.closeAllConnections();
    await stopped;
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/health' || path === '/ping') return sendJson(res, 200, { status: 'ok' });
      // RFC 9728: clients fetch this before they have a token, so it is never authenticated.
      const resource = this.#opts.authenticator?.protectedResource;
      if (resource && resource.paths.includes((path ?? '').replace(/(.)\/$/, '$1'))) return sendJson(res, 200, resource.document);
      const route = this.#opts.routes?.get(path ?? '');
      if (route && (req.method === 'GET' || req.method === 'HEAD')) return route(req, res);
      if (path !== '/mcp') return sendJson(res, 404, { error: `Not found: ${path}; the MCP endpoint is /mcp` });
      if (this.#closing) return sendJsonRpcError(res, 503, -32000, 'Gateway is shutting down', { connection: 'close' });
      if (!this.#guard(req, res)) return;
      await this.#mcp(req, res);
    } catch (err) {
      sendJsonRpcError(res, 500, -32603, `Internal error: ${(err as Error).message}`);
    }
  }

  async #mcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await this.#authenticate(req, res);
    if (!principal) return;
    if (req.method === 'GET' || req.method === 'DELETE') return this.#opts.legacy.handle(req, res, undefined, principal);
    if (req.method !== 'POST') {
      return sendJsonRpcError(res, 405, -32000, `Method ${req.method} not allowed on /mcp (use POST, GET or DELETE)`, {
        allow: 'GET, POST, DELETE',
      });
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('application/json')) {
      return sendJsonRpcError(res, 415, -32000, `Unsupported Media Type: Content-Type must be application/json (got "${type}")`);
    }
    this.#inflight += 1;
    res.once('close', () => {
      this.#inflight -= 1;
      if (this.#inflight === 0) this.#drained?.();
    });
    const read = await readBody(req, this.#opts.maxRequestBodyBytes);
    if (!read.ok) return sendJsonRpcError(res, read.status, read.code, read.message, read.status === 413 ? { connection: 'close' } : {});
    const legacy = typeof req.headers['mcp-session-id'] === 'string' || (await isLegacyRequest(webRequestOf(req), read.body));
    await (legacy ? this.#opts.legacy : this.#opts.modern).handle(req, res, read.body, principal);
  }

  /** 401/403 with the WWW-Authenticate challenge, or the caller's principal. */
  async #authenticate(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
    const authenticator = this.#opts.authenticator;
    if (!authenticator) return ANONYMOUS;
    const outcome = await authenticator.authenticate(req.headers);
    if (outcome.ok) return outcome.principal;
    sendJson(res, outcome.status, outcome.body, outcome.headers);
    return undefined;
  }
}

/** isLegacyRequest needs only the method and headers (the body is passed already parsed). */
function webRequestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) headers.set(k, v.join(', '));
  }
  return new Request(`http://localhost${req.url ?? '/'}`, { method: req.method ?? 'POST', headers });
}
