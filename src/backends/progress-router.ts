// Progress is exact: each forwarded call that wants progress gets a backend-side token of the
// gateway's own (so two clients' tokens never collide on a shared backend), and progress
// notifications for our tokens are taken off the transport synchronously, before the SDK sees the
// response that follows them (the SDK's per-request `onprogress` loses the last one:
// https://github.com/modelcontextprotocol/typescript-sdk/issues/2580).
import type { Transport } from '@modelcontextprotocol/client';
import type { JsonObject, Progress, RpcRequest } from '../protocol/index.js';
import { FloodGate } from './flood-gate.js';

type ProgressHandler = (progress: JsonObject) => void;

export class ProgressRouter {
  #handlers = new Map<string, ProgressHandler>();
  #seq = 0;
  readonly #perSecond: number;

  /** `perSecond`: progress notifications relayed per call per second (operational.limits.notificationsPerSecond). */
  constructor(perSecond: number) {
    this.#perSecond = perSecond;
  }

  /**
   * When the client wants progress (`deliver`): params carrying our token, progress delivered under
   * the client's own within the call's budget, `alive` told of each (it restarts the deadline).
   */
  track(req: RpcRequest, deliver: ((p: Progress & JsonObject) => void) | undefined, alive: () => void, warn: (m: string) => void) {
    if (!deliver) return { params: req.params, end: () => undefined };
    const gate = new FloodGate(this.#perSecond);
    const begun = this.begin(req.params, (p) => {
      alive();
      if (gate.admit()) deliver(p as Progress & JsonObject);
    });
    return {
      params: begun.params,
      end: () => {
        begun.end();
        const dropped = gate.takeSuppressed();
        if (dropped > 0) warn(`dropped ${dropped} progress notifications of one ${req.method} (operational.limits.notificationsPerSecond)`);
      },
    };
  }

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

  /** Params carrying our own progress token, and the cleanup that forgets it. */
  begin(params: JsonObject | undefined, onProgress: ProgressHandler): { params: JsonObject; end: () => void } {
    const token = `vmcp-${++this.#seq}`;
    const meta = params?.['_meta'] as JsonObject | undefined;
    this.#handlers.set(token, (p) => {
      const { progressToken: _ours, ...rest } = p;
      onProgress(rest);
    });
    return { params: { ...params, _meta: { ...meta, progressToken: token } }, end: () => this.#handlers.delete(token) };
  }
}
