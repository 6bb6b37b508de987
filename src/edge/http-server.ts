// The HTTP edge: /mcp (Streamable HTTP, both protocol eras on one URL), /health, /ping and the
// status routes. Each request is checked here (Host/Origin on a loopback bind, content type, body
// size and depth, JSON, JSON-RPC envelope) before anything serves it, then routed: a session id
// or a 2025-era body → the native 2025-era leg; everything else → the 2026-07-28 leg. GET /sse and
// POST /messages serve the 2024-11-05 HTTP+SSE transport on the 2025-era leg.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ANONYMOUS, type Principal } from '../auth/types.js';
import type { AuthFailure, Authenticator } from '../auth/incoming/index.js';
import type { ServerConfig } from '../config/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, type AuthRefusedEvent } from '../observability/channels.js';
import type { JsonObject } from '../protocol/index.js';
import { readBody } from './body.js';
import { applyConnectionLimits } from './connections.js';
import { isLegacyPost } from './era.js';
import type { EdgeEvents, ListKind } from './events.js';
import { createRebindingGuard, type Guard } from './guards.js';
import type { LegacyEndpoint } from './legacy/endpoint.js';
import type { ModernEndpoint } from './modern-endpoint.js';
import { withForwarded } from './passthrough.js';
import { sendError, sendJson } from './responses.js';

/** `principal`: the caller, for routes that are `authenticated`. */
export type Route = (req: IncomingMessage, res: ServerResponse, principal?: Principal) => void | Promise<void>;

/** A route besides /mcp: GET and HEAD unless `methods` says otherwise; `guarded` ones sit behind the Host guard. */
export interface HttpRoute {
  readonly route: Route;
  readonly guarded: boolean;
  /** Upper-case methods served (default GET and HEAD); a route may read its own body. */
  readonly methods?: readonly string[];
  /** Behind the same incoming auth as /mcp (401 with the challenge otherwise). */
  readonly authenticated?: boolean;
}

export interface HttpEdgeOptions {
  server: ServerConfig;
  legacy: LegacyEndpoint;
  modern: ModernEndpoint;
  /** Routes besides /mcp (status, metrics, UI), by exact path. */
  routes?: ReadonlyMap<string, HttpRoute>;
  /** Incoming auth for /mcp (anonymous when absent). */
  authenticator?: Authenticator;
  events: EdgeEvents;
  /** Sent as `vmcp-replica` on every response when several replicas share sessions. */
  replicaId?: string | undefined;
  /** Client headers copied to HTTP backends (lower-case names; config `passthroughHeaders`). */
  passthroughHeaders?: readonly string[];
}

const READ_METHODS: readonly string[] = ['GET', 'HEAD'];
/** The 2024-11-05 HTTP+SSE transport's stream and message endpoint. */
const SSE_PATH = '/sse';
const MESSAGES_PATH = '/messages';

export class HttpEdge {
  #opts: HttpEdgeOptions;
  #server: HttpServer;
  #guard: Guard;
  #inflight = 0;
  #drained: (() => void) | undefined;
  #closing = false;

  constructor(opts: HttpEdgeOptions) {
    this.#opts = opts;
    const { host, allowedHosts, allowedOrigins, limits } = opts.server;
    this.#guard = createRebindingGuard(host, allowedHosts, allowedOrigins);
    this.#server = createServer(
      { connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs) },
      (req, res) => void this.#onRequest(req, res),
    );
    applyConnectionLimits(this.#server, limits);
    opts.events.on('listChanged', (kinds) => this.#listChanged(kinds));
    opts.events.on('resourceUpdated', (uri, params) => this.#resourceUpdated(uri, params));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#opts.server.port, this.#opts.server.host, () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    const host = this.#opts.server.host.includes(':') ? `[${this.#opts.server.host}]` : this.#opts.server.host;
    return `http://${host}:${port}/mcp`;
  }

  /** Stop accepting, let in-flight POSTs finish (bounded); calls still running then get "shutting down". */
  async close(graceMs: number): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inflight > 0) {
      await Promise.race([new Promise<void>((r) => (this.#drained = r)), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    this.#opts.legacy.close();
    await this.#opts.modern.close();
    // Let the "shutting down" answers reach the wire before the sockets go.
    if (this.#inflight > 0)
      await Promise.race([new Promise<void>((r) => (this.#drained = r)), new Promise((r) => setTimeout(r, 500).unref())]);
    this.#server.closeAllConnections();
    await stopped;
  }

  #listChanged(kinds: readonly ListKind[]): void {
    this.#opts.legacy.listChanged(kinds);
    this.#opts.modern.listChanged(kinds);
  }

  #resourceUpdated(uri: string, params: JsonObject): void {
    this.#opts.legacy.resourceUpdated(uri, params);
    this.#opts.modern.resourceUpdated(uri);
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (this.#opts.replicaId) res.setHeader('vmcp-replica', this.#opts.replicaId);
    try {
      if (path === '/health' || path === '/ping') return sendJson(res, 200, { status: 'ok' });
      // RFC 9728: clients fetch this before they have a token, so it is never authenticated.
      const resource = this.#opts.authenticator?.protectedResource;
      if (resource && resource.paths.includes(path.replace(/(.)\/$/, '$1'))) return sendJson(res, 200, resource.document);
      const entry = this.#opts.routes?.get(path);
      if (entry && (entry.methods ?? READ_METHODS).includes(req.method ?? 'GET')) {
        const refused = entry.guarded ? this.#guard(req) : undefined;
        if (refused) return refuse(req, res, refused);
        if (!entry.authenticated) return await entry.route(req, res);
        const principal = await this.#authenticate(req, res);
        return principal ? await entry.route(req, res, principal) : undefined;
      }
      if (path === SSE_PATH || path === MESSAGES_PATH) return await this.#legacySse(req, res, path);
      if (path !== '/mcp')
        return refuse(req, res, new VmcpError(ErrorCodes.NOT_FOUND, `Not found: ${path.slice(0, 100)}; the MCP endpoint is /mcp`));
      if (this.#closing) return refuse(req, res, new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp is shutting down'), true);
      const refused = this.#guard(req);
      if (refused) return refuse(req, res, refused);
      await this.#mcp(req, res);
    } catch (err) {
      refuse(req, res, err);
    }
  }

  async #mcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const authenticated = await this.#authenticate(req, res);
    if (!authenticated) return;
    const principal = withForwarded(authenticated, req.headers, this.#opts.passthroughHeaders);
    if (req.method === 'GET') return this.#opts.legacy.get(req, res, principal);
    if (req.method === 'DELETE') return this.#opts.legacy.delete(req, res, principal);
    if (req.method !== 'POST') {
      throw new VmcpError(ErrorCodes.METHOD_NOT_ALLOWED, `Method ${req.method} not allowed on /mcp (use POST, GET or DELETE)`);
    }
    const body = await this.#jsonBody(req, res);
    if (!isLegacyPost(req, body)) return this.#opts.modern.handle(req, res, body, principal);
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      throw new VmcpError(
        ErrorCodes.NOT_ACCEPTABLE,
        'Not Acceptable: a POST on /mcp must accept both application/json and text/event-stream',
      );
    }
    await this.#opts.legacy.post(req, res, body, principal);
  }

  /** The 2024-11-05 HTTP+SSE transport, for clients that still speak it: GET /sse, POST /messages. */
  async #legacySse(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (this.#closing) return refuse(req, res, new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp is shutting down'), true);
    const refused = this.#guard(req);
    if (refused) return refuse(req, res, refused);
    const method = path === SSE_PATH ? 'GET' : 'POST';
    if (req.method !== method) {
      throw new VmcpError(ErrorCodes.METHOD_NOT_ALLOWED, `Method ${req.method} not allowed on ${path} (use ${method})`);
    }
    const principal = await this.#authenticate(req, res);
    if (!principal) return;
    if (path === SSE_PATH) return this.#opts.legacy.sse.open(req, res, principal, MESSAGES_PATH);
    await this.#opts.legacy.sse.post(req, res, await this.#jsonBody(req, res), principal);
  }

  /** A POSTed JSON body within the size and depth bounds (the request counts as in flight). */
  async #jsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().includes('application/json')) {
      throw new VmcpError(
        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
        `Unsupported Media Type: Content-Type must be application/json (got "${type.slice(0, 60)}")`,
      );
    }
    this.#track(res);
    return readBody(req, { maxBytes: this.#opts.server.maxRequestBodyBytes, maxDepth: this.#opts.server.limits.maxJsonDepth });
  }

  #track(res: ServerResponse): void {
    this.#inflight += 1;
    res.once('close', () => {
      this.#inflight -= 1;
      if (this.#inflight === 0) this.#drained?.();
    });
  }

  /** 401/403 with the WWW-Authenticate challenge, or the caller's principal. */
  async #authenticate(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
    const authenticator = this.#opts.authenticator;
    if (!authenticator) return ANONYMOUS;
    const outcome = await authenticator.authenticate(req.headers);
    if (outcome.ok) return outcome.principal;
    publishRefusal(this.#opts.server, req, outcome);
    sendJson(res, outcome.status, outcome.body, outcome.headers);
    return undefined;
  }
}

/** For the audit log: who was refused and why, never the credential. */
function publishRefusal(origin: ServerConfig, req: IncomingMessage, outcome: AuthFailure): void {
  if (!channels.authRefused.hasSubscribers) return;
  const agent = req.headers['user-agent'];
  const event: AuthRefusedEvent = {
    origin,
    status: outcome.status,
    error: outcome.body.error,
    description: outcome.body.error_description,
    httpMethod: req.method ?? '',
    path: (req.url ?? '/').split('?')[0] ?? '/',
    ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
    ...(agent === undefined ? {} : { userAgent: agent.slice(0, 200) }),
  };
  channels.authRefused.publish(event);
}

/**
 * An error answer. When the request body was not read (refused before reading, or too large) the
 * connection closes and says so: a client must not send its next request on a socket whose
 * unread bytes the server is about to discard.
 */
function refuse(req: IncomingMessage, res: ServerResponse, err: unknown, close = false): void {
  const unread = !req.complete || (err instanceof VmcpError && err.code === ErrorCodes.REQUEST_TOO_LARGE);
  sendError(res, err, close || unread ? { connection: 'close' } : {});
}
