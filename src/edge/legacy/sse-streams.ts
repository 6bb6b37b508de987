// The 2024-11-05 HTTP+SSE transport's streams before their session exists: a client opens
// GET /sse, is told the POST endpoint (`event: endpoint`), and only then sends initialize there.
// A stream that is not initialized within server.limits.sessionInitTimeout is closed, so silent
// streams cannot pile up.
import type { ServerResponse } from 'node:http';
import type { Principal } from '../../auth/types.js';
import { SSE_HEADERS, startKeepAlive } from './sse.js';

export interface PendingStream {
  readonly res: ServerResponse;
  readonly principal: Principal;
  readonly quotaKey: string;
}

export class PendingStreams {
  readonly #pending = new Map<string, PendingStream & { timer: NodeJS.Timeout }>();
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Starts the stream and names the endpoint its messages go to. */
  open(id: string, stream: PendingStream, endpoint: string): void {
    const { res } = stream;
    res.writeHead(200, SSE_HEADERS);
    res.write(`event: endpoint\ndata: ${endpoint}?sessionId=${encodeURIComponent(id)}\n\n`);
    startKeepAlive(res);
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      res.end();
    }, this.#timeoutMs);
    timer.unref();
    this.#pending.set(id, { ...stream, timer });
    res.once('close', () => this.take(id));
  }

  /** Pending streams counted against one quota key. */
  countFor(quotaKey: string): number {
    let n = 0;
    for (const p of this.#pending.values()) if (p.quotaKey === quotaKey) n += 1;
    return n;
  }

  peek(id: string): PendingStream | undefined {
    return this.#pending.get(id);
  }

  /** The stream of a session being initialized (it is no longer pending). */
  take(id: string): PendingStream | undefined {
    const p = this.#pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.#pending.delete(id);
    return p;
  }

  closeAll(): void {
    for (const id of [...this.#pending.keys()]) this.take(id)?.res.end();
  }
}
