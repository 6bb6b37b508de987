// A 2026-07-28 client's retry that lands on another replica than the one holding its parked call.
// The backend call is live only where it was started (its stdio pipe or HTTP exchange is there),
// so the retry goes to that replica over the replica bus and the round runs there: the owner
// checks the requestState against the principal, method and name exactly as for a local retry,
// its progress and log messages come back to this replica's response, and so does the result
// (or the next input_required, whose state names the same replica). The replica holding the
// call confirms at once and then says it is alive every few seconds; a holder that is not
// connected, does not confirm in time or goes silent counts as gone, and the client gets an error
// saying the call was lost instead of a request that hangs. A retry given up on is never applied
// later: the holder takes it only within half the time this replica waits for the confirmation.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { Principal } from '../auth/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { toWireError } from '../errors/to-wire.js';
import { isObject, type JsonObject, type RpcNotification } from '../protocol/index.js';
import type { BusMessage, ReplicaBus } from '../state/replica-bus.js';
import type { CallIdentity, Exchange, InputBridge, Rounds } from './input-bridge.js';

export interface InputRelayOptions {
  /** How long the holding replica has to confirm a relayed retry (default 5 s). */
  acceptMs?: number;
  /** How often it says it is still running the round (default 2 s). */
  heartbeatMs?: number;
  /** Silence after which it counts as gone (default 10 s). */
  silenceMs?: number;
}

/** Relayed rounds waiting for another replica at most. */
const MAX_RELAYED = 1000;

interface Relayed {
  onEvent(message: BusMessage): void;
}

export class InputRelay implements Rounds {
  readonly #bridge: InputBridge;
  readonly #bus: ReplicaBus;
  readonly #acceptMs: number;
  readonly #heartbeatMs: number;
  readonly #silenceMs: number;
  /** Rounds this replica relayed elsewhere, by relay id. */
  readonly #relayed = new Map<string, Relayed>();
  /** Rounds this replica runs for another one, by `from:relay`. */
  readonly #serving = new Map<string, AbortController>();

  constructor(bridge: InputBridge, bus: ReplicaBus, opts: InputRelayOptions = {}) {
    this.#bridge = bridge;
    this.#bus = bus;
    this.#acceptMs = opts.acceptMs ?? 5000;
    this.#heartbeatMs = opts.heartbeatMs ?? 2000;
    this.#silenceMs = opts.silenceMs ?? 10_000;
    bus.on('input-resume', (m) => this.#serve(m));
    bus.on('input-event', (m) => typeof m['relay'] === 'string' && this.#relayed.get(m['relay'])?.onEvent(m));
    bus.on('input-cancel', (m) => {
      const reason = new VmcpError(ErrorCodes.CANCELLED, 'vmcp: the client cancelled the request');
      this.#serving.get(`${String(m['from'])}:${String(m['relay'])}`)?.abort(reason);
    });
  }

  owns(state: unknown): state is string {
    return this.#bridge.owns(state);
  }

  start(id: CallIdentity, exchange: Exchange, run: Parameters<InputBridge['start']>[2]): Promise<JsonObject> {
    return this.#bridge.start(id, exchange, run);
  }

  resume(state: string, id: CallIdentity, inputResponses: JsonObject | undefined, exchange: Exchange): Promise<JsonObject> {
    const replica = this.#bridge.replicaOf(state);
    if (replica === undefined || replica === this.#bus.replicaId) return this.#bridge.resume(state, id, inputResponses, exchange);
    return this.#relay(replica, state, id, inputResponses, exchange);
  }

  /** Fail the rounds waiting for other replicas and stop the ones run for them. Idempotent. */
  close(): void {
    const reason = new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp: the gateway is shutting down');
    for (const relayed of [...this.#relayed.values()]) relayed.onEvent({ kind: 'input-event', event: 'closed' });
    for (const controller of this.#serving.values()) controller.abort(reason);
    this.#serving.clear();
  }

  /** This replica's side of a retry for a call held by `replica`. */
  #relay(
    replica: string,
    state: string,
    id: CallIdentity,
    inputResponses: JsonObject | undefined,
    exchange: Exchange,
  ): Promise<JsonObject> {
    if (this.#relayed.size >= MAX_RELAYED) {
      return Promise.reject(
        new VmcpError(ErrorCodes.CANCELLED, `vmcp: too many retries are waiting for other replicas (limit ${MAX_RELAYED}); try again`),
      );
    }
    const relay = randomUUID();
    return new Promise<JsonObject>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error: unknown, result?: JsonObject) => {
        clearTimeout(timer);
        this.#relayed.delete(relay);
        exchange.signal.removeEventListener('abort', onAbort);
        if (result) resolve(result);
        else reject(error);
      };
      const wait = (ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(lost(replica, `${what} within ${ms / 1000}s`)), ms);
        timer.unref();
      };
      const onAbort = () => {
        void this.#bus.send(replica, { kind: 'input-cancel', relay }).catch(() => undefined);
        finish(exchange.signal.reason ?? new VmcpError(ErrorCodes.CANCELLED, 'vmcp: the client cancelled the request'));
      };
      this.#relayed.set(relay, {
        onEvent: (m) => {
          const event = m['event'];
          if (event === 'accepted' || event === 'alive') wait(this.#silenceMs, 'stopped answering: nothing heard');
          else if (event === 'notify' && isObject(m['notification']))
            void exchange.notify(m['notification'] as unknown as RpcNotification).catch(() => undefined);
          else if (event === 'done' && isObject(m['result'])) finish(undefined, m['result']);
          else if (event === 'failed') finish(wireError(m['error']));
          else if (event === 'closed') finish(new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp: the gateway is shutting down'));
        },
      });
      exchange.signal.addEventListener('abort', onAbort, { once: true });
      wait(this.#acceptMs, 'did not confirm the retry');
      const message: BusMessage = {
        kind: 'input-resume',
        relay,
        // The holder applies the answers only within half the wait, so a retry this replica gave up
        // on is never applied later (clocks may differ by up to that half).
        acceptBy: Date.now() + this.#acceptMs / 2,
        state,
        method: id.method,
        target: id.target,
        ...(id.principal ? { who: whoOf(id.principal) } : {}),
        ...(inputResponses ? { inputResponses } : {}),
        ...(exchange.progressToken === undefined ? {} : { progressToken: exchange.progressToken as string | number }),
      };
      this.#bus.send(replica, message).then(
        (heard) => heard || finish(lost(replica, 'is not connected to the shared Redis')),
        (err: unknown) => finish(lost(replica, `is not reachable (${String(err).slice(0, 200)})`)),
      );
    });
  }

  /** The holding replica's side: run the round for the replica the client's retry reached. */
  #serve(m: BusMessage): void {
    const { from, relay, state, method, target } = m as Record<string, unknown>;
    if (typeof from !== 'string' || typeof relay !== 'string' || typeof state !== 'string') return;
    if (typeof method !== 'string' || typeof target !== 'string') return;
    const key = `${from}:${relay}`;
    if (this.#serving.has(key)) return;
    const event = (body: JsonObject): Promise<void> =>
      this.#bus.send(from, { kind: 'input-event', relay, ...body }).then(
        () => undefined,
        () => undefined,
      );
    if (typeof m['acceptBy'] === 'number' && Date.now() > m['acceptBy']) {
      const late = new VmcpError(ErrorCodes.CANCELLED, 'vmcp: the retry reached the replica holding the call too late; send it again');
      void event({ event: 'failed', error: toWireError(late) as unknown as JsonObject });
      return;
    }
    const controller = new AbortController();
    this.#serving.set(key, controller);
    void event({ event: 'accepted' });
    const alive = setInterval(() => void event({ event: 'alive' }), this.#heartbeatMs);
    alive.unref();
    const progressToken = m['progressToken'];
    const exchange: Exchange = {
      signal: controller.signal,
      ...(progressToken === undefined ? {} : { progressToken }),
      notify: (notification) => event({ event: 'notify', notification: notification as unknown as JsonObject }),
    };
    const principal = principalOf(m['who']);
    const inputResponses = isObject(m['inputResponses']) ? m['inputResponses'] : undefined;
    this.#bridge
      .resume(state, { method, target, ...(principal ? { principal } : {}) }, inputResponses, exchange)
      .then(
        (result) => event({ event: 'done', result }),
        (err: unknown) => event({ event: 'failed', error: toWireError(err) as unknown as JsonObject }),
      )
      .finally(() => {
        clearInterval(alive);
        this.#serving.delete(key);
      });
  }
}

/** What a requestState is bound to, and nothing more (never the token). */
function whoOf(p: Principal): JsonObject {
  return { kind: p.kind, subject: p.subject, ...(p.issuer === undefined ? {} : { issuer: p.issuer }) };
}

function principalOf(who: unknown): Principal | undefined {
  if (!isObject(who) || typeof who['kind'] !== 'string' || typeof who['subject'] !== 'string') return undefined;
  const issuer = typeof who['issuer'] === 'string' ? { issuer: who['issuer'] } : {};
  return { kind: who['kind'] as Principal['kind'], subject: who['subject'], ...issuer, scopes: [], claims: {} };
}

/** The holding replica's error, exactly as it would have answered the client itself. */
function wireError(error: unknown): ProtocolError {
  const e = isObject(error) ? error : {};
  const code = typeof e['code'] === 'number' ? e['code'] : -32603;
  return new ProtocolError(code, typeof e['message'] === 'string' ? e['message'] : 'Internal error', e['data']);
}

function lost(replica: string, why: string): VmcpError {
  return new VmcpError(
    ErrorCodes.CANCELLED,
    `vmcp: the replica holding this call (${replica}) ${why}; it may have stopped, and then the call waiting for input is lost: send the request again without requestState`,
    { replica },
  );
}
