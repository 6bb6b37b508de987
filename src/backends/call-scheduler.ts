// Who owns a shared backend's mid-call traffic. On a stdio connection shared by several client
// sessions, a backend's sampling/elicitation/roots requests and log messages carry no reference to
// the call that caused them (only progress does, via its token), so the gateway must keep the
// owner unambiguous. Adaptive, session-affine dispatch, learned per tool:
//  - a *quiet* tool (its last call finished without such traffic) runs at once, never waits and
//    never makes anyone wait — nearly every tool, after its first call;
//  - any other call (a tool's first call, or a tool whose last call talked back) is *exclusive*:
//    it waits while an exclusive call of another session is in flight, but at most
//    `exclusiveWaitMs` — one hung call can delay other sessions' calls by that bound, never by its
//    own timeout;
//  - a call whose client is answering a relayed request is *parked*: it still excludes other
//    sessions (its backend may send a second request for it), for at most `exclusiveWaitMs` each,
//    and traffic goes to a call of its session that is not parked when there is one;
//  - traffic goes to the most recent exclusive call in flight when all of those belong to one
//    session; when they span sessions (a wait ran out) the owner is ambiguous and the traffic is
//    refused (a request) or kept from every session (a log message) — never delivered to a client
//    that may not own it.
// HTTP connections that attribute traffic exactly (by the response stream it arrived on) need none
// of this and have no scheduler.
import type { CallSink } from '../protocol/index.js';
import { FloodGate } from './flood-gate.js';

export interface ScheduledCall {
  readonly sink: CallSink;
  readonly key: string;
  /** A first call or a tool known to talk back: excludes other sessions' exclusive calls. */
  readonly exclusive: boolean;
  /** Parks the call while its client answers a relayed request (and pauses its deadline). */
  readonly pause: () => () => void;
  parked: number;
  /** This call's budget for log messages (operational.limits.notificationsPerSecond). */
  readonly gate: FloodGate;
  sawTraffic: boolean;
}

export type Ownership = { readonly owner: ScheduledCall } | { readonly ambiguous: readonly string[] } | { readonly none: true };

export class CallScheduler {
  readonly #exclusiveWaitMs: number;
  readonly #notificationsPerSecond: number;
  #inflight: ScheduledCall[] = [];
  #quiet = new Set<string>();
  #waiters: (() => void)[] = [];

  constructor(limits: { exclusiveWaitMs: number; notificationsPerSecond: number }) {
    this.#exclusiveWaitMs = limits.exclusiveWaitMs;
    this.#notificationsPerSecond = limits.notificationsPerSecond;
  }

  /** Admit a call (an exclusive one may wait, bounded); always pair with leave(). */
  async enter(sink: CallSink, key: string, signal: AbortSignal, pause?: () => () => void): Promise<ScheduledCall> {
    const exclusive = !this.#quiet.has(key);
    const deadline = Date.now() + this.#exclusiveWaitMs;
    // The last check and the push below run in one synchronous step: two waiters woken together
    // cannot both see "not blocked" and enter side by side.
    while (exclusive && this.#blocked(sink.sessionId)) {
      const left = deadline - Date.now();
      if (left <= 0) break; // bounded: run anyway; ambiguity is then refused, never misdelivered
      await this.#waitForLeave(left, signal);
    }
    const call: ScheduledCall = {
      sink,
      key,
      exclusive,
      pause: () => this.#park(call, pause),
      parked: 0,
      gate: new FloodGate(this.#notificationsPerSecond),
      sawTraffic: false,
    };
    this.#inflight.push(call);
    return call;
  }

  leave(call: ScheduledCall): void {
    const i = this.#inflight.indexOf(call);
    if (i >= 0) this.#inflight.splice(i, 1);
    // Learned from the last call of the tool: it talked back (exclusive) or not (quiet).
    if (call.sawTraffic) this.#quiet.delete(call.key);
    else this.#quiet.add(call.key);
    this.#wakeAll();
  }

  #park(call: ScheduledCall, pauseDeadline: (() => () => void) | undefined): () => void {
    call.parked += 1;
    const resumeDeadline = pauseDeadline?.();
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      call.parked -= 1;
      resumeDeadline?.();
    };
  }

  #wakeAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** The call a backend's request or log message belongs to (see the header). */
  owner(): Ownership {
    const candidates = this.#inflight.filter((c) => c.exclusive);
    const pool = candidates.length > 0 ? candidates : this.#inflight;
    if (pool.length === 0) return { none: true };
    const sessions = new Set(pool.map((c) => c.sink.sessionId));
    for (const c of pool) c.sawTraffic = true; // any of them may talk back: learn it
    if (sessions.size > 1) return { ambiguous: [...sessions] };
    return { owner: pool.filter((c) => c.parked === 0).at(-1) ?? pool.at(-1)! };
  }

  get size(): number {
    return this.#inflight.length;
  }

  #blocked(sessionId: string): boolean {
    return this.#inflight.some((c) => c.exclusive && c.sink.sessionId !== sessionId);
  }

  #waitForLeave(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiters = this.#waiters.filter((w) => w !== wake);
      };
      const wake = () => (done(), resolve());
      const onAbort = () => (done(), reject(signal.reason));
      const timer = setTimeout(wake, ms);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }
}
