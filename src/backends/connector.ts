// The backend seam: one BackendConnector per configured MCP server, whatever its transport.
// Only app/ constructs concrete connectors; everything else sees this interface (house rule 2).
import type { Principal } from '../auth/types.js';
import type { BackendTransport } from '../config/types.js';

export type JsonObject = Record<string, unknown>;
export interface RpcRequest {
  method: string;
  params?: JsonObject;
}
export interface RpcNotification {
  method: string;
  params?: JsonObject;
}

/**
 * Where a backend's mid-call traffic goes: the client session whose call caused it. A backend may
 * send requests (sampling, elicitation, roots) and notifications (logging) while serving a call;
 * the connector hands them to the sink of the call in flight (see docs/architecture.md, "session model").
 */
export interface CallSink {
  readonly sessionId: string;
  request(req: RpcRequest, signal: AbortSignal): Promise<JsonObject>;
  notify(notification: RpcNotification): Promise<void>;
}

/**
 * What a 2026-07-28 backend's `input_required` result (SEP-2322: the backend asks the user for
 * input by returning, not by sending a request) becomes:
 *  - `fulfil` (default): the gateway answers it through `sink` (so a 2025-era client answers the
 *    relayed elicitation/sampling/roots request) and retries; the caller sees the final result;
 *  - `return`: it is returned to the caller unchanged, for a 2026-07-28 client to fulfil and retry.
 */
export type InputRequiredMode = 'fulfil' | 'return';

export interface BackendCallOptions {
  signal?: AbortSignal;
  sink?: CallSink;
  /** Progress from the backend for this call (the SDK mints the backend-side token). */
  onProgress?: (progress: JsonObject) => void;
  timeoutMs?: number;
  inputRequired?: InputRequiredMode;
  /** Who the call is for (per-user backend sessions and outgoing auth). */
  principal?: Principal;
}

/** The first protocol revision in which servers ask for input with `input_required` results. */
export const MODERN_REVISION = '2026-07-28';

/** True when the backend negotiated 2026-07-28 or later (revisions are dates: they sort as strings). */
export function speaksModern(info: BackendInfo | undefined): boolean {
  return info?.protocolVersion !== undefined && info.protocolVersion >= MODERN_REVISION;
}

export interface BackendInfo {
  serverInfo: { name: string; version: string; title?: string };
  capabilities: JsonObject;
  instructions?: string;
  protocolVersion?: string;
}

export type BackendState = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';
export type ListKind = 'tools' | 'prompts' | 'resources';

export interface BackendListener {
  /** Connected (again): capabilities must be (re)discovered. */
  onReady?(connector: BackendConnector): void;
  onDown?(connector: BackendConnector, reason: string): void;
  onListChanged?(connector: BackendConnector, kind: ListKind): void;
  /** Notifications that belong to no call in flight (resource updates, stray log messages). */
  onNotification?(connector: BackendConnector, notification: RpcNotification): void;
}

export interface BackendConnector {
  readonly name: string;
  readonly transport: BackendTransport;
  readonly state: BackendState;
  /** What the backend said at its last successful connect (kept while it is down). */
  readonly info: BackendInfo | undefined;
  /** The backend has asked a client for roots: it wants notifications/roots/list_changed. */
  readonly asksForRoots: boolean;
  /** Why the last connection attempt failed or the connection dropped; sanitized. */
  readonly lastError: string | undefined;
  /** Start connecting and keep the connection up (reconnect with backoff) until close(). */
  start(): void;
  /** Resolves once the first connection attempt has settled (success or failure). */
  firstAttempt(): Promise<void>;
  subscribe(listener: BackendListener): () => void;
  request(req: RpcRequest, options?: BackendCallOptions): Promise<JsonObject>;
  notify(notification: RpcNotification): Promise<void>;
  /** Graceful and idempotent; a stdio backend's process is gone when it resolves. */
  close(): Promise<void>;
}
