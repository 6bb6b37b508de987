// What the edge needs from the gateway: the method handlers and what to advertise. Provided by
// app/ (the composition root); the edge never sees backends or the catalog directly.
import type { JsonObject } from '../backends/connector.js';
import type { Handler } from '../routing/dispatch.js';

export interface GatewayCore {
  readonly serverInfo: { name: string; version: string; title?: string };
  readonly handlers: ReadonlyMap<string, Handler>;
  /** Server capabilities advertised to a new session: the union of what the backends offer. */
  capabilities(): JsonObject;
  instructions(): string | undefined;
  /** A client notification other than initialized/cancelled/progress (e.g. roots/list_changed). */
  onClientNotification(sessionId: string, notification: { method: string; params?: JsonObject }): void;
  /** A client session ended (closed, deleted or expired): release what it held at the backends. */
  onSessionClosed(sessionId: string): void;
}
