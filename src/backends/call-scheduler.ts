// Who owns a shared backend's mid-call traffic. A backend's sampling/elicitation/roots requests and
// log messages carry no reference to the call that caused them (only progress does, via its
// token), so on a connection shared by several client sessions the gateway must make the owner
// unambiguous. Adaptive, session-affine dispatch:
//  - a tool is "quiet" once a call of it finished without sending any such traffic; a quiet call
//    never waits;
//  - any other call (unknown or known interactive tool) is *exclusive*: it waits until no
//    exclusive call of another session is in flight, so at any moment the traffic-producing
//    calls in flight all belong to one session;
//  - traffic goes to the most recent exclusive call in flight (else the most recent call).
// So the first call of every tool, and every call of a tool that talks back, reaches exactly the
// right client; quiet tools (the common case) keep full concurrency. docs/architecture.md.
import type { CallSink } from './connector.js';

export type SharingMode = 'adaptive' | 'concurrent';

export interface ScheduledCall {
  readonly sink: CallSink;
  readonly key: string | undefined;
  readonly exclusive: boolean;
  sawTraffic: boolean;
}

export class CallScheduler {
  #mode: SharingMode;
  #inflight: ScheduledCall[] = [];
  #quiet = new Set<string>();
  #waiters: (() => void)[] = [];

  constructor(mode: SharingMode = 'adaptive') {
    this.#mode = mode;
  }

  /** Admit a call (waiting if it must be exclusive); always pair with leave(). */
  async enter(sink: CallSink, key: string | undefined, signal?: AbortSignal): Promise<ScheduledCall> {
    const exclusive = this.#mode === 'adaptive' && !(key !== undefined && this.#quiet.has(key));
    while (exclusive && this.#blocked(sink.sessionId)) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.#waiters = this.#waiters.filter((w) => w !== wake);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiters.push(wake);
      });
    }
    const call: ScheduledCall = { sink, key, exclusive, sawTraffic: false };
    this.#inflight.push(call);
    return call;
  }

  leave(call: ScheduledCall): void {
    const i = this.#inflight.indexOf(call);
    if (i >= 0) this.#inflight.splice(i, 1);
    if (call.key !== undefined) {
      if (call.sawTraffic) this.#quiet.delete(call.key);
      else this.#quiet.add(call.key);
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** The call a backend's request or log message belongs to (see the header). */
  owner(): ScheduledCall | undefined {
    const exclusive = this.#inflight.filter((c) => c.exclusive);
    const owner = (exclusive.length > 0 ? exclusive : this.#inflight).at(-1);
    if (owner) owner.sawTraffic = true;
    return owner;
  }

  /** True when the owner is certain: all candidate calls belong to one session. */
  unambiguous(): boolean {
    const exclusive = this.#inflight.filter((c) => c.exclusive);
    const candidates = exclusive.length > 0 ? exclusive : this.#inflight;
    return new Set(candidates.map((c) => c.sink.sessionId)).size <= 1;
  }

  #blocked(sessionId: string): boolean {
    return this.#inflight.some((c) => c.exclusive && c.sink.sessionId !== sessionId);
  }
}
