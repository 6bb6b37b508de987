// What the edge needs from the gateway: the dispatcher (every MCP method the gateway serves, on
// the one request chain) and what to advertise. Provided by app/; the edge never sees backends or
// the catalog directly.
import type { JsonObject, RpcNotification } from '../protocol/index.js';
import type { RequestContext } from '../routing/context.js';

export interface MethodDispatcher {
  has(method: string): boolean;
  handle(method: string, params: JsonObject, ctx: RequestContext): Promise<JsonObject>;
  /** 2026-07-28 tools/call: Mcp-Param-* headers against the tool's declarations (throws HEADER_MISMATCH). */
  checkHeaders(params: JsonObject, ctx: RequestContext): Promise<void>;
}

export interface GatewayCore {
  readonly serverInfo: { name: string; version: string; title?: string };
  readonly dispatcher: MethodDispatcher;
  /** Server capabilities advertised to a new session: the union of what the backends offer. */
  capabilities(): JsonObject;
  instructions(): string | undefined;
  /** A client notification other than initialized/cancelled/progress (e.g. roots/list_changed). */
  onClientNotification(sessionId: string, notification: RpcNotification): void;
  /** A client session ended (closed, deleted or expired): release what it held at the backends. */
  onSessionClosed(sessionId: string): void;
}
