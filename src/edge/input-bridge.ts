// The input bridge: a 2026-07-28 client calling a 2025-era backend that asks for user input
// mid-call (elicitation/create, sampling/createMessage, roots/list). The backend call is parked
// and the client gets `input_required` with a requestState naming it; the client's retry (same
// method and name, with inputResponses and that requestState) answers the held requests and the
// call goes on, as many rounds as the backend asks (SEP-2322; sdk-v2.md "forwarding pattern").
//
// requestState comes back from the client, so it is attacker-controlled (sdk-v2.md gotcha 4):
// it is 128 random bits (nothing to forge or decode), valid for one round only, bound to the
// principal that started the call and to the method and name, and it expires (ttlMs). Parked
// calls are capped (maxParked): beyond the cap a call is cancelled with an error saying so.
// A 2026-07-28 request has no session; anonymous callers are told apart only by the secret itself.
// With replicas (replicaId set) the state also names the replica holding the call, after an `@`,
// so a retry landing elsewhere is relayed there (input-relay.ts); the secret part is unchanged.
import { randomBytes } from 'node:crypto';
import { inputRequired } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/types.js';
import type { JsonObject } from '../backends/connector.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { BridgedCall, type Exchange } from './input-bridge-call.js';

export type { Exchange } from './input-bridge-call.js';
export { BridgedCall } from './input-bridge-call.js';

/** Marks the requestStates this bridge issues; any other one belongs to a 2026-07-28 backend. */
const STATE_PREFIX = 'vmcp-ir.';
const DEFAULT_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_PARKED = 1000;

export interface InputBridgeOptions {
  /** How long a parked call waits for the client's retry (default 10 minutes). */
  ttlMs?: number;
  /** Parked calls at most (default 1000). */
  maxParked?: number;
  /** Injected clock (tests). */
  now?: () => number;
  /** The replica this bridge runs on, named in its requestStates (only when replicas share sessions). */
  replicaId?: string;
}

/** What a retry must match: the call's method, its tool/prompt name or resource URI, its principal. */
export interface CallIdentity {
  readonly method: string;
  readonly target: string;
  readonly principal?: Principal;
}

/** What serves a 2026-07-28 client's rounds: this replica's bridge, or the relay in front of it. */
export type Rounds = Pick<InputBridge, 'owns' | 'start' | 'resume'>;

interface Parked {
  readonly call: BridgedCall;
  readonly method: string;
  readonly target: string;
  readonly owner: string;
  readonly expiresAt: number;
  readonly timer: NodeJS.Timeout;
}

export class InputBridge {
  #parked = new Map<string, Parked>();
  #ttlMs: number;
  #maxParked: number;
  #now: () => number;
  #suffix: string;

  constructor(opts: InputBridgeOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxParked = opts.maxParked ?? DEFAULT_MAX_PARKED;
    this.#now = opts.now ?? Date.now;
    this.#suffix = opts.replicaId === undefined ? '' : `@${opts.replicaId}`;
  }

  /** Calls waiting for a client's retry. */
  get size(): number {
    return this.#parked.size;
  }

  /** True for a requestState this bridge issued (valid or not); others go to the backend. */
  owns(state: unknown): state is string {
    return typeof state === 'string' && state.startsWith(STATE_PREFIX);
  }

  /** The replica a state of this kind names (undefined: none, or not a well-formed name). */
  replicaOf(state: string): string | undefined {
    const at = state.indexOf('@', STATE_PREFIX.length);
    const replica = at < 0 ? undefined : state.slice(at + 1);
    return replica !== undefined && /^[A-Za-z0-9._-]{1,100}$/.test(replica) ? replica : undefined;
  }

  /** Start a call; `run` forwards it, sending the backend's requests for input to `call.ask`. */
  start(id: CallIdentity, exchange: Exchange, run: (call: BridgedCall) => Promise<JsonObject>): Promise<JsonObject> {
    const call = new BridgedCall();
    call.start(run);
    return this.#step(call, id, exchange);
  }

  /** Continue the parked call named by `state` with the client's answers. */
  resume(state: string, id: CallIdentity, inputResponses: JsonObject | undefined, exchange: Exchange): Promise<JsonObject> {
    if ((this.#parked.get(state)?.expiresAt ?? Infinity) <= this.#now()) this.#expire(state);
    const parked = this.#parked.get(state);
    const valid =
      parked !== undefined && parked.owner === ownerOf(id.principal) && parked.method === id.method && parked.target === id.target;
    // A mismatch leaves the call parked: another caller's guess must not cancel the owner's call.
    if (!valid) return Promise.reject(new VmcpError(ErrorCodes.INVALID_PARAMS, 'Invalid or expired requestState'));
    this.#unpark(state);
    parked.call.answer(inputResponses);
    return this.#step(parked.call, id, exchange);
  }

  /** Cancel every parked call. Idempotent. */
  close(): void {
    for (const [state, { call }] of [...this.#parked]) {
      this.#unpark(state);
      call.abort(
        new VmcpError(ErrorCodes.SHUTTING_DOWN, 'vmcp: the gateway is shutting down; the call waiting for client input was cancelled'),
      );
    }
  }

  async #step(call: BridgedCall, id: CallIdentity, exchange: Exchange): Promise<JsonObject> {
    const step = await call.next(exchange);
    if (step.kind === 'result') return step.result;
    if (step.kind === 'error') throw step.error;
    if (this.#parked.size >= this.#maxParked) {
      const error = new VmcpError(
        ErrorCodes.CANCELLED,
        `vmcp: too many calls are waiting for client input (limit ${this.#maxParked}), so this ${id.method} was cancelled; try again later`,
      );
      call.abort(error);
      throw error;
    }
    const state = STATE_PREFIX + randomBytes(16).toString('base64url') + this.#suffix;
    const timer = setTimeout(() => this.#expire(state), this.#ttlMs);
    timer.unref();
    this.#parked.set(state, {
      call,
      method: id.method,
      target: id.target,
      owner: ownerOf(id.principal),
      expiresAt: this.#now() + this.#ttlMs,
      timer,
    });
    return inputRequired({ inputRequests: step.requests as never, requestState: state }) as unknown as JsonObject;
  }

  #expire(state: string): void {
    const parked = this.#parked.get(state);
    if (!parked) return;
    this.#unpark(state);
    parked.call.abort(
      new VmcpError(
        ErrorCodes.CANCELLED,
        `vmcp: the client did not answer within ${Math.round(this.#ttlMs / 1000)}s; the call was cancelled`,
      ),
    );
  }

  #unpark(state: string): void {
    const parked = this.#parked.get(state);
    if (!parked) return;
    clearTimeout(parked.timer);
    this.#parked.delete(state);
  }
}

/** The identity a requestState is bound to (the token is never part of it: it changes on refresh). */
function ownerOf(principal: Principal | undefined): string {
  return principal ? JSON.stringify([principal.kind, principal.issuer ?? '', principal.subject]) : 'anonymous';
}
