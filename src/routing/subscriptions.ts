// Resource subscriptions on shared backend sessions: a backend session is subscribed to a URI once
// however many client sessions want it, and unsubscribed when the last one leaves — by
// resources/unsubscribe or because its session closed. Updates are fanned out per client session
// by the edge (only to sessions subscribed to that URI).
import type { BackendConnector } from '../backends/connector.js';

interface Holder {
  backend: string;
  uri: string;
  sessions: Set<string>;
}

export class Subscriptions {
  #holders = new Map<string, Holder>();
  #connector: (backend: string) => BackendConnector | undefined;

  constructor(connector: (backend: string) => BackendConnector | undefined) {
    this.#connector = connector;
  }

  /** Records the session; true when this is the first holder (the backend must be subscribed). */
  add(backend: string, uri: string, sessionId: string): boolean {
    const key = `${backend}\u0000${uri}`;
    const holder = this.#holders.get(key) ?? { backend, uri, sessions: new Set<string>() };
    const first = holder.sessions.size === 0;
    holder.sessions.add(sessionId);
    this.#holders.set(key, holder);
    return first;
  }

  /** Forgets the session; true when it was the last holder (the backend must be unsubscribed). */
  remove(backend: string, uri: string, sessionId: string): boolean {
    const key = `${backend}\u0000${uri}`;
    const holder = this.#holders.get(key);
    if (!holder?.sessions.delete(sessionId)) return false;
    if (holder.sessions.size > 0) return false;
    this.#holders.delete(key);
    return true;
  }

  /** A client session ended: unsubscribe the backends it was the last holder for. */
  async release(sessionId: string): Promise<void> {
    const last = [...this.#holders.values()].filter((h) => h.sessions.has(sessionId) && this.remove(h.backend, h.uri, sessionId));
    await Promise.allSettled(
      last.map((h) => this.#connector(h.backend)?.request({ method: 'resources/unsubscribe', params: { uri: h.uri } })),
    );
  }
}
