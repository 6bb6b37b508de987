// Per-request control for backend calls: the gateway's own progress tokens and a timeout that
// progress resets. The SDK's per-request `onprogress` loses the last progress notification when it
// arrives in the same read as the response (typescript-sdk#2580: notifications are dispatched in a
// microtask, responses synchronously), so progress is taken off the transport synchronously here,
// before the SDK sees the response, and the timeout is ours so that progress can reset it.
import type { Transport } from '@modelcontextprotocol/client';
import type { JsonObject } from './connector.js';

type ProgressHandler = (progress: JsonObject) => void;

export interface Call {
  params: JsonObject | undefined;
  signal: AbortSignal;
  end(): void;
  timedOut(): boolean;
  /**
   * Stop the deadline while the client's user is answering a relayed request (elicitation,
   * sampling, roots): people are slower than a request timeout, and that leg has its own bound
   * (the relay's own timeout, or the input bridge's TTL). Returns the function that resumes it.
   */
  pause(): () => void;
}

/** A deadline that progress resets and a relayed request pauses. */
class Deadline {
  #ms: number;
  #onExpire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #paused = 0;
  #stopped = false;

  constructor(ms: number, onExpire: () => void) {
    this.#ms = ms;
    this.#onExpire = onExpire;
    this.reset();
  }

  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#paused > 0 || this.#stopped ? undefined : setTimeout(this.#onExpire, this.#ms);
  }

  pause(): () => void {
    this.#paused += 1;
    clearTimeout(this.#timer);
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.#paused -= 1;
      this.reset();
    };
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}

export class CallControl {
  #handlers = new Map<string, ProgressHandler>();
  #seq = 0;

  /** Take `notifications/progress` for our tokens off the transport before the SDK dispatches. */
  attach(transport: Transport): void {
    const next = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const m = message as { method?: string; params?: JsonObject };
      if (m.method === 'notifications/progress') {
        const handler = this.#handlers.get(String(m.params?.['progressToken']));
        if (handler) return handler(m.params ?? {});
      }
      next?.(message, extra);
    };
  }

  /**
   * Start one call: returns the params to send (with our progress token when progress is wanted),
   * the signal to pass to the SDK, and a cleanup. `timedOut()` tells a timeout from a cancel.
   */
  begin(params: JsonObject | undefined, opts: { signal?: AbortSignal; timeoutMs: number; onProgress?: ProgressHandler }): Call {
    const controller = new AbortController();
    let timedOut = false;
    const deadline = new Deadline(opts.timeoutMs, () => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${opts.timeoutMs}ms`));
    });
    const onAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    let out = params;
    let token: string | undefined;
    if (opts.onProgress) {
      token = `vmcp-${++this.#seq}`;
      out = { ...params, _meta: { ...(params?.['_meta'] as JsonObject | undefined), progressToken: token } };
      const onProgress = opts.onProgress;
      this.#handlers.set(token, (p) => {
        deadline.reset(); // progress proves the backend is alive: reset the deadline (user-asks #30)
        const { progressToken: _ours, ...rest } = p;
        onProgress(rest);
      });
    }
    const end = () => {
      deadline.stop();
      opts.signal?.removeEventListener('abort', onAbort);
      if (token) this.#handlers.delete(token);
    };
    return { params: out, signal: controller.signal, end, timedOut: () => timedOut, pause: () => deadline.pause() };
  }
}
