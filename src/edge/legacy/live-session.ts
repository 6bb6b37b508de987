// One 2025-era client session on this replica: its record (plain data, in the session store) and
// its live parts — the open GET stream, the client's requests in flight (for cancellation and
// duplicate ids) and the gateway's requests to the client awaiting an answer.
import { ProtocolError } from '@modelcontextprotocol/server';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../../auth/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { JsonObject, RequestId, RpcRequest } from '../../protocol/index.js';
import type { SessionInfo } from '../../routing/context.js';
import type { ReplicaBus } from '../../state/replica-bus.js';
import type { SessionRecord } from '../../state/sessions.js';
import { writeEvent, SSE_HEADERS, startKeepAlive } from './sse.js';

/** A client that never answers a relayed request does not hold the call for ever. */
const RELAY_TIMEOUT_MS = 10 * 60_000;

interface Pending {
  resolve(result: JsonObject): void;
  reject(reason: unknown): void;
}

let seq = 0;

/** Where a notification may go: only this replica's stream, or the stream wherever it is open. */
export type NotifyScope = 'local' | 'anywhere';

/** The replica that sent a server→client request, from its id (`vmcp-<n>@<replica>`). */
export function replicaOf(id: unknown): string | undefined {
  if (typeof id !== 'string' || !id.startsWith('vmcp-')) return undefined;
  const at = id.indexOf('@');
  return at > 0 ? id.slice(at + 1) : undefined;
}

export class LiveSession {
  readonly record: SessionRecord;
  principal: Principal;
  readonly info: SessionInfo;
  #stream: ServerResponse | undefined;
  #inflight = new Map<RequestId, AbortController>();
  #pending = new Map<string, Pending>();
  #subscriptions: Set<string>;
  readonly #bus: ReplicaBus;

  constructor(record: SessionRecord, principal: Principal, bus: ReplicaBus) {
    this.record = record;
    this.#bus = bus;
    this.principal = principal;
    this.#subscriptions = new Set(record.subscriptions);
    const subscriptions = this.#subscriptions;
    this.info = {
      id: record.id,
      era: 'legacy',
      clientCapabilities: record.clientCapabilities,
      ...(record.clientInfo ? { clientInfo: record.clientInfo } : {}),
      subscriptions,
      get logLevel() {
        return record.logLevel;
      },
      set logLevel(level: string | undefined) {
        record.logLevel = level;
      },
    };
  }

  /** The record with the live subscription set folded in, for the store. */
  snapshot(): SessionRecord {
    this.record.subscriptions = [...this.#subscriptions];
    return this.record;
  }

  /** Take what another replica changed in the shared record (handshake done, log level, subscriptions). */
  refresh(stored: SessionRecord): this {
    if (stored === this.record) return this;
    this.record.initialized = stored.initialized;
    this.record.logLevel = stored.logLevel;
    this.#subscriptions.clear();
    for (const uri of stored.subscriptions) this.#subscriptions.add(uri);
    return this;
  }

  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  /** The GET stream: server-initiated notifications (list changes, resource updates). */
  openStream(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    res.flushHeaders();
    startKeepAlive(res);
    this.adoptStream(res);
  }

  /** A stream already open (the 2024-11-05 transport's, opened before the session existed). */
  adoptStream(res: ServerResponse): void {
    this.#stream = res;
    res.once('close', () => {
      if (this.#stream === res) this.#stream = undefined;
    });
  }

  /** With no stream here, `anywhere` hands the message to the replica where it is open (if any). */
  notify(message: JsonObject, scope: NotifyScope = 'local'): void {
    if (this.#stream) writeEvent(this.#stream, { jsonrpc: '2.0', ...message });
    else if (scope === 'anywhere' && this.#bus.shared)
      void this.#bus.broadcast({ kind: 'notify', session: this.record.id, message }).catch(() => undefined);
  }

  /** A client request starts: false when one with the same id is still in flight. */
  begin(id: RequestId): AbortController | undefined {
    if (this.#inflight.has(id)) return undefined;
    const controller = new AbortController();
    this.#inflight.set(id, controller);
    return controller;
  }

  end(id: RequestId, controller: AbortController): void {
    if (this.#inflight.get(id) === controller) this.#inflight.delete(id);
  }

  /** notifications/cancelled from the client. */
  cancel(id: unknown, reason: unknown): void {
    if (typeof id !== 'string' && typeof id !== 'number') return;
    this.#inflight
      .get(id)
      ?.abort(
        new VmcpError(ErrorCodes.CANCELLED, `cancelled by the client${typeof reason === 'string' ? `: ${reason.slice(0, 200)}` : ''}`),
      );
  }

  /** Ask the client (on the stream of the request that caused it); resolves with its answer. */
  ask(send: (message: JsonObject) => boolean, req: RpcRequest, signal: AbortSignal): Promise<JsonObject> {
    const id = `vmcp-${++seq}@${this.#bus.replicaId}`;
    return new Promise<JsonObject>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      const onAbort = () => {
        done();
        send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the call was cancelled' } });
        reject(signal.reason);
      };
      const timer = setTimeout(
        () => (
          done(),
          reject(new VmcpError(ErrorCodes.CANCELLED, `the client did not answer ${req.method} within ${RELAY_TIMEOUT_MS / 60_000} min`))
        ),
        RELAY_TIMEOUT_MS,
      );
      timer.unref();
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, { resolve: (r) => (done(), resolve(r)), reject: (e) => (done(), reject(e)) });
      if (!send({ jsonrpc: '2.0', id, method: req.method, ...(req.params ? { params: req.params } : {}) })) {
        this.#pending.get(id)?.reject(new VmcpError(ErrorCodes.CANCELLED, `the client's stream closed before ${req.method} could be sent`));
      }
    });
  }

  /**
   * The client's answer to one of our requests. An answer to another replica's request goes there
   * (the call waiting for it runs on that replica); unknown ids are ignored, as JSON-RPC allows.
   */
  answer(message: JsonObject): void {
    const pending = this.#pending.get(String(message['id']));
    const owner = replicaOf(message['id']);
    if (!pending && owner !== undefined && owner !== this.#bus.replicaId && this.#bus.shared)
      void this.#bus.send(owner, { kind: 'answer', session: this.record.id, message }).catch(() => undefined);
    if (!pending) return;
    const error = message['error'] as { code: number; message: string; data?: unknown } | undefined;
    if (error) pending.reject(new ProtocolError(error.code, error.message, error.data));
    else pending.resolve((message['result'] ?? {}) as JsonObject);
  }

  /** End everything live: calls in flight get `reason`, the GET stream closes. */
  close(reason: unknown): void {
    for (const c of this.#inflight.values()) c.abort(reason);
    for (const p of [...this.#pending.values()]) p.reject(reason);
    this.#stream?.end();
    this.#stream = undefined;
  }
}
