// One backend call that a 2026-07-28 client drives across several HTTP exchanges. The backend
// (2025 era) asks for input by sending requests mid-call; the client (2026-07-28) cannot receive
// requests, so each such request is held here and handed to the client as an embedded input
// request; the client's retry answers it and the call goes on (SEP-2322 multi round-trip).
// The backend call runs on its own signal: an exchange ends when input_required is returned, and
// the call must outlive it (sdk-v2.md gotcha 3). Only the exchange in progress can cancel it.
import type { JsonObject, RpcNotification, RpcRequest } from '../backends/connector.js';

/** One HTTP exchange of the client with the call: its cancel signal and notification channel. */
export interface Exchange {
  readonly signal: AbortSignal;
  /** The progress token of this exchange's request (each retry is a new request). */
  readonly progressToken?: unknown;
  notify(notification: RpcNotification): Promise<void>;
}

/** Where the call stands when an exchange has to answer. */
export type Step =
  | { readonly kind: 'result'; readonly result: JsonObject }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'input'; readonly requests: Readonly<Record<string, RpcRequest>> };

interface HeldRequest {
  readonly req: RpcRequest;
  resolve(result: JsonObject): void;
  reject(reason: unknown): void;
}

const KEY_PREFIX: Record<string, string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

export class BridgedCall {
  readonly #controller = new AbortController();
  readonly #held = new Map<string, HeldRequest>();
  #seq = 0;
  #wake: (() => void) | undefined;
  #exchange: Exchange | undefined;
  #verdict: Step | undefined;
  #outcome: Promise<Step> = Promise.resolve({ kind: 'error', error: new Error('call not started') });

  /** The backend call's own signal: aborted by the exchange in progress, expiry or close. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  start(run: (call: BridgedCall) => Promise<JsonObject>): void {
    this.#outcome = Promise.resolve()
      .then(() => run(this))
      .then(
        (result): Step => ({ kind: 'result', result }),
        (error: unknown): Step => ({ kind: 'error', error }),
      );
  }

  /** A backend request for input: held until the client answers it on a retry. */
  ask(req: RpcRequest, signal?: AbortSignal): Promise<JsonObject> {
    const key = `${KEY_PREFIX[req.method] ?? 'input'}-${++this.#seq}`;
    return new Promise<JsonObject>((resolve, reject) => {
      this.#held.set(key, { req, resolve, reject });
      signal?.addEventListener(
        'abort',
        () => {
          if (this.#held.delete(key)) reject(signal.reason);
        },
        { once: true },
      );
      this.#wake?.();
    });
  }

  /** Progress and log messages go to the exchange in progress (none while parked). */
  notify(notification: RpcNotification): Promise<void> {
    const exchange = this.#exchange;
    if (!exchange) return Promise.resolve();
    if (notification.method !== 'notifications/progress') return exchange.notify(notification);
    if (exchange.progressToken === undefined) return Promise.resolve();
    return exchange.notify({ ...notification, params: { ...notification.params, progressToken: exchange.progressToken } });
  }

  /** Resolve the held requests the client answered; unanswered ones are asked again. */
  answer(responses: JsonObject | undefined): void {
    for (const [key, held] of this.#held) {
      const response = responses?.[key];
      if (typeof response !== 'object' || response === null || Array.isArray(response)) continue;
      this.#held.delete(key);
      held.resolve(response as JsonObject);
    }
  }

  /** Drive the call on this exchange until it finishes or needs input again. */
  async next(exchange: Exchange): Promise<Step> {
    this.#exchange = exchange;
    const onAbort = () => this.abort(exchange.signal.reason ?? new Error('cancelled by the client'));
    exchange.signal.addEventListener('abort', onAbort, { once: true });
    if (exchange.signal.aborted) onAbort();
    try {
      for (;;) {
        const step = await Promise.race([this.#outcome, this.#asked()]);
        if (this.#verdict) return this.#verdict;
        if (step) return step;
        // Requests the backend sends together go to the client in one round.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#held.size > 0) return { kind: 'input', requests: this.#requests() };
      }
    } finally {
      exchange.signal.removeEventListener('abort', onAbort);
      this.#wake = undefined;
      this.#exchange = undefined;
    }
  }

  /** End the call with `error` for the client (not just for the backend), e.g. a capability it lacks. */
  fail(error: unknown): void {
    this.#verdict ??= { kind: 'error', error };
    this.abort(error);
  }

  /** Cancel the backend call and fail every held request (expiry, limit, close, client cancel). */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
    for (const held of this.#held.values()) held.reject(reason);
    this.#held.clear();
    this.#wake?.();
  }

  /** Resolves (with undefined) as soon as a request is held. */
  #asked(): Promise<undefined> {
    return new Promise((resolve) => {
      this.#wake = () => resolve(undefined);
      if (this.#held.size > 0) resolve(undefined);
    });
  }

  #requests(): Record<string, RpcRequest> {
    return Object.fromEntries(
      [...this.#held].map(([key, { req }]) => [
        key,
        req.params === undefined ? { method: req.method } : { method: req.method, params: req.params },
      ]),
    );
  }
}
