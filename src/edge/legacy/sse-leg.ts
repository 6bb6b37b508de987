// The 2024-11-05 HTTP+SSE transport on the 2025-era sessions, for clients that still speak it: a
// client opens GET /sse, is told where to POST (`event: endpoint`), and its session starts with the
// initialize it sends there. Every POST is answered 202 and every response, notification and
// server→client request goes on the stream; the stream's end ends the session. The same session
// limits, identity binding, chain and features as /mcp apply.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../auth/types.js';
import type { ServerLimits } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import { isObject, type JsonObject } from '../../protocol/index.js';
import type { ReplicaBus } from '../../state/replica-bus.js';
import type { SessionStore } from '../../state/sessions.js';
import type { GatewayCore } from '../core.js';
import { sendError } from '../responses.js';
import { initializeResult, newRecord, ownerOf, quotaKeyOf } from './initialize.js';
import { LiveSession } from './live-session.js';
import { capacityRefusal, forbidden, storeUnavailable } from './refusals.js';
import type { Outbound } from './serve.js';
import { PendingStreams } from './sse-streams.js';

/** What the 2025-era endpoint lends this leg. */
export interface SessionHost {
  live(id: string): LiveSession | undefined;
  hold(live: LiveSession, stream: ServerResponse): void;
  session(req: IncomingMessage, res: ServerResponse, principal: Principal, sid: string): Promise<LiveSession | undefined>;
  deliver(session: LiveSession, messages: readonly JsonObject[]): JsonObject[];
  serve(
    req: IncomingMessage,
    session: LiveSession,
    requests: readonly JsonObject[],
    out: Outbound,
    respond: (r: JsonObject) => void,
  ): Promise<void>;
}

export interface SseLegDeps {
  readonly core: GatewayCore;
  readonly store: SessionStore;
  readonly limits: ServerLimits;
  readonly bus: ReplicaBus;
}

export class SseLeg {
  readonly #host: SessionHost;
  readonly #deps: SseLegDeps;
  readonly #pending: PendingStreams;

  constructor(host: SessionHost, deps: SseLegDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#pending = new PendingStreams(deps.limits.sessionInitTimeoutMs);
  }

  /** GET /sse; `endpoint` is the path its messages are POSTed to. */
  async open(req: IncomingMessage, res: ServerResponse, principal: Principal, endpoint: string): Promise<void> {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return sendError(res, new VmcpError(ErrorCodes.NOT_ACCEPTABLE, 'Not Acceptable: a GET on /sse must accept text/event-stream'));
    }
    const quotaKey = quotaKeyOf(principal, req.socket.remoteAddress);
    try {
      const { store, limits } = this.#deps;
      const refusal = await capacityRefusal(store, limits, quotaKey, this.#pending.size, this.#pending.countFor(quotaKey));
      if (refusal) return sendError(res, refusal);
    } catch (err) {
      return sendError(res, storeUnavailable(err));
    }
    this.#pending.open(randomUUID(), { res, principal, quotaKey }, endpoint);
  }

  /** POST /messages?sessionId=…: 202, and the answers go on the session's stream. */
  async post(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal): Promise<void> {
    const sid = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '';
    if (sid === '') {
      const message = 'Bad Request: the sessionId query parameter is required (use the endpoint the GET /sse stream named)';
      return sendError(res, new VmcpError(ErrorCodes.SESSION_REQUIRED, message));
    }
    const messages = (Array.isArray(body) ? body : [body]) as JsonObject[];
    const init = messages.find((m) => m['method'] === 'initialize' && m['id'] !== undefined);
    if (init) return this.#initialize(res, sid, init, messages.length, principal);
    const session = await this.#host.session(req, res, principal, sid);
    if (!session) return;
    const requests = this.#host.deliver(session, messages);
    // Each response is its own event (also for a batch): the stream carries one message per event.
    const out: Outbound = { send: (m) => (session.notify(m, 'anywhere'), true) };
    const served = this.#host.serve(req, session, requests, out, (r) => session.notify(r, 'anywhere'));
    // The 202 goes out once this turn's work is done, so the call reaches its backend first and the
    // acknowledgment (a write, and the client waking to read it) does not delay it. A call answered
    // without I/O may put its event on the stream before the 202: the two travel on different
    // connections, and clients match the answer by id.
    setImmediate(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(202, { 'content-length': 8 }).end('Accepted');
    });
    await served;
  }

  close(): void {
    this.#pending.closeAll();
  }

  async #initialize(res: ServerResponse, sid: string, init: JsonObject, count: number, principal: Principal): Promise<void> {
    if (count > 1) return sendError(res, new VmcpError(ErrorCodes.INVALID_REQUEST, 'Invalid Request: initialize must be sent alone'));
    if (this.#host.live(sid))
      return sendError(res, new VmcpError(ErrorCodes.INVALID_REQUEST, 'Invalid Request: the session is already initialized'));
    const pending = this.#pending.peek(sid);
    if (!pending) {
      return sendError(
        res,
        new VmcpError(
          ErrorCodes.SESSION_NOT_FOUND,
          `Session not found: ${sid.slice(0, 80)} (no GET /sse stream here waits for initialize under this sessionId; open one first)`,
        ),
      );
    }
    if (JSON.stringify(ownerOf(principal)) !== JSON.stringify(ownerOf(pending.principal))) return sendError(res, forbidden());
    this.#pending.take(sid);
    const record = newRecord(sid, isObject(init['params']) ? init['params'] : {}, principal, pending.quotaKey);
    try {
      await this.#deps.store.create(record);
    } catch (err) {
      pending.res.end();
      return sendError(res, storeUnavailable(err));
    }
    const live = new LiveSession(record, principal, this.#deps.bus);
    this.#host.hold(live, pending.res);
    res.writeHead(202, { 'content-length': 8 }).end('Accepted');
    live.notify({ id: init['id'], result: initializeResult(this.#deps.core, record.protocolVersion) });
  }
}
