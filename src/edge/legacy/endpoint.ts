// The 2025-era leg of /mcp, served natively on Node's request and response: sessions
// (initialize → Mcp-Session-Id; missing id → 400, unknown or expired → 404, another identity →
// 403), POSTed requests answered as JSON or SSE (exchange.ts), notifications and the client's
// answers → 202, the GET stream for server-initiated messages, DELETE to end. A session is a
// record in the store plus live parts on this replica; every bound is enforced here
// (server.limits: sessions in all and per principal, the handshake timeout).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANONYMOUS, type Principal } from '../../auth/types.js';
import type { ServerLimits } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import { channels, publish, type SessionEvent } from '../../observability/channels.js';
import { nodeHeader, traceContextOf } from '../trace-headers.js';
import { LEGACY_REVISIONS, isObject, type JsonObject } from '../../protocol/index.js';
import { LocalBus, type BusMessage, type ReplicaBus } from '../../state/replica-bus.js';
import type { SessionRecord, SessionStore } from '../../state/sessions.js';
import type { GatewayCore } from '../core.js';
import type { ListKind } from '../events.js';
import { sendError, sendJson } from '../responses.js';
import { PostExchange } from './exchange.js';
import { initializeResult, newRecord, ownerOf, quotaKeyOf } from './initialize.js';
import { LiveSession } from './live-session.js';
import { serveRequest, type Outbound } from './serve.js';
import { capacityRefusal, forbidden, storeUnavailable } from './refusals.js';
import { SseLeg } from './sse-leg.js';

const LIST_CHANGED: Record<ListKind, string> = {
  tools: 'notifications/tools/list_changed',
  prompts: 'notifications/prompts/list_changed',
  resources: 'notifications/resources/list_changed',
};

export class LegacyEndpoint {
  readonly #core: GatewayCore;
  readonly #store: SessionStore;
  readonly #limits: ServerLimits;
  readonly #live = new Map<string, LiveSession>();
  readonly #bus: ReplicaBus;
  /** The 2024-11-05 HTTP+SSE transport (GET /sse, POST /messages) on these sessions. */
  readonly sse: SseLeg;

  constructor(core: GatewayCore, store: SessionStore, limits: ServerLimits, bus: ReplicaBus = new LocalBus()) {
    this.#core = core;
    this.#store = store;
    this.#limits = limits;
    this.#bus = bus;
    this.sse = new SseLeg(this, { core, store, limits, bus });
    store.onExpire((id) => void this.#drop(id, 'expired'));
    // A shared store back from an outage may have lost its data: put back the sessions held here.
    store.onReconnect?.(() => void store.restore?.([...this.#live.values()].map((s) => s.snapshot())).catch(() => undefined));
    // Another replica's share of a session this one holds live parts of.
    const live = (m: BusMessage) => (typeof m['session'] === 'string' ? this.#live.get(m['session']) : undefined);
    bus.on('answer', (m) => live(m)?.answer(m['message'] as JsonObject));
    bus.on('notify', (m) => {
      const message = m['message'] as JsonObject;
      const uri = (message['params'] as JsonObject | undefined)?.['uri'];
      const session = live(m);
      // Deliver an update only while this side of the session is still subscribed to it.
      if (message['method'] === 'notifications/resources/updated' && !session?.info.subscriptions.has(String(uri))) return;
      session?.notify(message, 'local');
    });
    bus.on('closed', (m) => typeof m['session'] === 'string' && void this.#drop(m['session'], 'closed', undefined, 'here'));
  }

  /** A session held here (without touching the store). */
  live(id: string): LiveSession | undefined {
    return this.#live.get(id);
  }

  /** A session the SSE leg started: held here, and its stream's end ends it everywhere. */
  hold(live: LiveSession, stream: ServerResponse): void {
    live.adoptStream(stream);
    this.#live.set(live.record.id, live);
    stream.once('close', () => void this.#drop(live.record.id, 'closed'));
    publish<SessionEvent>(channels.session, { sessionId: live.record.id, event: 'created', era: 'legacy' });
  }

  get size(): number {
    return this.#live.size;
  }

  async post(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal): Promise<void> {
    const messages = (Array.isArray(body) ? body : [body]) as JsonObject[];
    const init = messages.find((m) => m['method'] === 'initialize' && m['id'] !== undefined);
    if (init) {
      if (messages.length > 1)
        return sendError(res, new VmcpError(ErrorCodes.INVALID_REQUEST, 'Invalid Request: initialize must be sent alone'));
      if (typeof req.headers['mcp-session-id'] === 'string') {
        return sendError(res, new VmcpError(ErrorCodes.INVALID_REQUEST, 'Invalid Request: the session is already initialized'));
      }
      return this.#initialize(req, res, init, principal);
    }
    const session = await this.session(req, res, principal);
    if (!session) return;
    const requests = this.deliver(session, messages);
    if (requests.length === 0) {
      res.writeHead(202, { 'mcp-session-id': session.record.id }).end();
      return;
    }
    const exchange = new PostExchange(res, { 'mcp-session-id': session.record.id }, requests.length, Array.isArray(body));
    await this.serve(req, session, requests, exchange, (r) => exchange.respond(r));
  }

  /** GET: the session's stream of server-initiated messages (one per session). */
  async get(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return sendError(res, new VmcpError(ErrorCodes.NOT_ACCEPTABLE, 'Not Acceptable: a GET on /mcp must accept text/event-stream'));
    }
    const session = await this.session(req, res, principal);
    if (!session) return;
    if (session.streaming)
      return sendError(res, new VmcpError(ErrorCodes.SESSION_CONFLICT, 'Conflict: this session already has its GET stream open'));
    session.openStream(res, { 'mcp-session-id': session.record.id });
  }

  async delete(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    const session = await this.session(req, res, principal);
    if (!session) return;
    // Answered once every replica has been told, so the session's next request fails wherever it lands.
    await this.#drop(session.record.id, 'closed');
    res.writeHead(200, { 'content-length': 0 }).end();
  }

  listChanged(kinds: readonly ListKind[]): void {
    for (const s of this.#live.values()) {
      if (s.record.initialized) for (const kind of kinds) s.notify({ method: LIST_CHANGED[kind] });
    }
  }

  /** notifications/resources/updated goes only to sessions subscribed to that URI. */
  resourceUpdated(uri: string, params: JsonObject): void {
    for (const s of this.#live.values())
      if (s.info.subscriptions.has(uri)) s.notify({ method: 'notifications/resources/updated', params }, 'anywhere');
  }

  /**
   * This replica's part of every session ends; calls still in flight get `reason` (the gateway is
   * shutting down). The records stay: with shared storage the sessions go on through the other
   * replicas, as after a crash (one replica's store ends with the process anyway).
   */
  close(reason: unknown = new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp is shutting down')): void {
    this.sse.close();
    for (const id of [...this.#live.keys()]) void this.#drop(id, 'closed', reason, 'here');
  }

  async #initialize(req: IncomingMessage, res: ServerResponse, init: JsonObject, principal: Principal): Promise<void> {
    const params = isObject(init['params']) ? init['params'] : {};
    const quotaKey = quotaKeyOf(principal, req.socket.remoteAddress);
    const record = newRecord(randomUUID(), params, principal, quotaKey);
    try {
      const refusal = await capacityRefusal(this.#store, this.#limits, quotaKey);
      if (refusal) return sendError(res, refusal);
      await this.#store.create(record);
    } catch (err) {
      return sendError(res, storeUnavailable(err));
    }
    this.#live.set(record.id, new LiveSession(record, principal, this.#bus));
    publish<SessionEvent>(channels.session, { sessionId: record.id, event: 'created', era: 'legacy' });
    const result = initializeResult(this.#core, record.protocolVersion);
    sendJson(res, 200, { jsonrpc: '2.0', id: init['id'], result }, { 'mcp-session-id': record.id });
  }

  /** Notifications and the client's answers take effect; the requests among `messages` are returned (also for the SSE leg). */
  deliver(session: LiveSession, messages: readonly JsonObject[]): JsonObject[] {
    for (const m of messages) {
      if (m['id'] === undefined) this.#notification(session, m);
      else if (m['method'] === undefined) session.answer(m);
    }
    return messages.filter((m) => typeof m['method'] === 'string' && m['id'] !== undefined);
  }

  async serve(
    req: IncomingMessage,
    session: LiveSession,
    requests: readonly JsonObject[],
    out: Outbound,
    respond: (response: JsonObject) => void,
  ): Promise<void> {
    const trace = traceContextOf(nodeHeader(req.headers));
    await Promise.all(
      requests.map(async (m) => {
        const { response, changed } = await serveRequest(this.#core.dispatcher, session, m, out, trace, req.socket.remoteAddress);
        if (changed) await this.#store.update(session.snapshot()).catch(() => undefined);
        respond(response);
      }),
    );
  }

  /** The live session a request names, or an error answer (and undefined). */
  async session(
    req: IncomingMessage,
    res: ServerResponse,
    principal: Principal,
    sid: string | undefined = req.headers['mcp-session-id'] as string | undefined,
  ): Promise<LiveSession | undefined> {
    if (typeof sid !== 'string' || sid === '') {
      sendError(
        res,
        new VmcpError(ErrorCodes.SESSION_REQUIRED, 'Bad Request: Mcp-Session-Id header is required; start a session with initialize'),
      );
      return undefined;
    }
    const live = await this.#find(sid, res);
    if (live === 'failed') return undefined;
    if (!live) {
      sendError(
        res,
        new VmcpError(ErrorCodes.SESSION_NOT_FOUND, `Session not found: ${sid.slice(0, 80)} (expired or closed; initialize a new session)`),
      );
      return undefined;
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !LEGACY_REVISIONS.includes(version)) {
      sendError(
        res,
        new VmcpError(
          ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION,
          `Bad Request: unsupported MCP-Protocol-Version ${version.slice(0, 40)} (supported: ${LEGACY_REVISIONS.join(', ')})`,
        ),
      );
      return undefined;
    }
    // A session belongs to the identity that created it: another caller holding the id gets
    // nothing of it (and never that user's backend sessions or credentials).
    if (JSON.stringify(ownerOf(principal)) !== JSON.stringify(live.record.owner)) {
      sendError(res, forbidden());
      return undefined;
    }
    live.principal = principal; // the caller's latest token
    return live;
  }

  /**
   * The session's live parts here: held already (its use slides the TTL), or rebuilt from the
   * shared record when it was created or last used on another replica. The store being
   * unreachable does not stop a session known here; one that is not known gets 503.
   */
  async #find(sid: string, res: ServerResponse): Promise<LiveSession | undefined | 'failed'> {
    const held = this.#live.get(sid);
    let record: SessionRecord | undefined;
    try {
      record = await this.#store.get(sid);
    } catch (err) {
      if (held) return held;
      sendError(res, storeUnavailable(err));
      return 'failed';
    }
    if (held && !record) void this.#drop(sid, 'expired');
    if (!record) return undefined;
    if (held) return held.refresh(record);
    const rebuilt = new LiveSession(record, ANONYMOUS, this.#bus);
    this.#live.set(sid, rebuilt);
    return rebuilt;
  }

  #notification(session: LiveSession, n: JsonObject): void {
    const params = isObject(n['params']) ? n['params'] : {};
    if (n['method'] === 'notifications/initialized') {
      session.record.initialized = true;
      void this.#store.update(session.snapshot()).catch(() => undefined);
    } else if (n['method'] === 'notifications/cancelled') {
      session.cancel(params['requestId'], params['reason']);
    } else if (typeof n['method'] === 'string') {
      this.#core.onClientNotification(session.record.id, { method: n['method'], params });
    }
  }

  /**
   * `everywhere`: the session ends for every replica: its record goes, and the others are told
   * (the returned promise settles once they have been). `here`: only this replica's live parts end.
   */
  #drop(
    id: string,
    event: 'closed' | 'expired',
    reason: unknown = new VmcpError(ErrorCodes.SESSION_NOT_FOUND, `the session ${event}`),
    reach: 'everywhere' | 'here' = 'everywhere',
  ): Promise<void> {
    const live = this.#live.get(id);
    if (!live) return Promise.resolve();
    this.#live.delete(id);
    live.close(reason);
    this.#core.onSessionClosed(id);
    publish<SessionEvent>(channels.session, { sessionId: id, event, era: 'legacy' });
    return reach === 'everywhere' ? this.#endEverywhere(id) : Promise.resolve();
  }

  /** The record first (the store tells the replicas that hold it), then the live parts elsewhere. */
  async #endEverywhere(id: string): Promise<void> {
    await this.#store.delete(id).catch(() => undefined);
    if (this.#bus.shared) await this.#bus.broadcast({ kind: 'closed', session: id }).catch(() => undefined);
  }
}
