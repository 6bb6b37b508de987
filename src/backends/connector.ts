// The backend seam: one BackendConnector per configured MCP server, whatever its transport. The
// connector supervises its connection (connect, reconnect with backoff) and sends requests; every
// cross-cutting policy around a call (authorization, circuit gate, deadline, scheduling) is a
// middleware of the request chain in routing/. Only app/ constructs concrete connectors.
import type { Principal } from '../auth/types.js';
import type { BackendTransport } from '../config/types.js';
import type { FailureKind } from '../errors/codes.js';
import type { CallSink, JsonObject, RpcNotification, RpcRequest } from '../protocol/index.js';
import { isModernRevision } from '../protocol/index.js';
import type { CallScheduler } from './call-scheduler.js';

export type { CallSink, JsonObject, RpcNotification, RpcRequest } from '../protocol/index.js';

/**
 * What a 2026-07-28 backend's `input_required` result (SEP-2322: the backend asks the user for
 * input by returning, not by sending a request) becomes:
 *  - `fulfil` (default): the gateway answers it through `sink` (so a 2025-era client answers the
 *    relayed elicitation/sampling/roots request) and retries; the caller sees the final result;
 *  - `return`: it is returned to the caller unchanged, for a 2026-07-28 client to fulfil and retry.
 */
export type InputRequiredMode = 'fulfil' | 'return';

/** A call's deadline, owned by the chain's deadline middleware; the connector only nudges it. */
export interface Deadline {
  /** Aborted when the deadline passes or the caller cancels. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Progress proves the backend is alive: restart the clock. */
  progressed(): void;
  /** A client is answering a relayed request: stop the clock until the returned function is called. */
  pause(): () => void;
  /** True when the call ended because the deadline passed (not a cancel). */
  timedOut(): boolean;
}

export interface BackendCallOptions {
  /** Internal requests (discovery, probes): cancel signal and own timeout. Chain calls pass `deadline`. */
  signal?: AbortSignal;
  timeoutMs?: number;
  deadline?: Deadline;
  /** Where mid-call traffic of this call goes (the calling client request). */
  sink?: CallSink;
  inputRequired?: InputRequiredMode;
  /** Who the call is for (per-user backend sessions and outgoing auth). */
  principal?: Principal;
  /** What the calling client declared: relayed requests it lacks are refused; 2026-07-28 backends get it per request. */
  clientCapabilities?: JsonObject;
  /** The calling client's log level (2026-07-28 backends send log messages only when it is set). */
  logLevel?: string;
  /** Extra HTTP headers for this request (validated `Mcp-Param-*`, passthrough headers). */
  headers?: Readonly<Record<string, string>>;
}

/** True when the backend negotiated 2026-07-28 or later. */
export function speaksModern(info: BackendInfo | undefined): boolean {
  return isModernRevision(info?.protocolVersion);
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
  /** What kind of failure that was (errors/classify.ts), when it was one. */
  readonly lastFailure: FailureKind | undefined;
  /** Who owns mid-call traffic on this connection when calls of several sessions share it. */
  readonly scheduler: CallScheduler | undefined;
  /** Start connecting and keep the connection up (reconnect with backoff) until close(). */
  start(): void;
  /** Resolves once the first connection attempt has settled (success or failure). */
  firstAttempt(): Promise<void>;
  subscribe(listener: BackendListener): () => void;
  request(req: RpcRequest, options?: BackendCallOptions): Promise<JsonObject>;
  notify(notification: RpcNotification): Promise<void>;
  /** Graceful and idempotent; a stdio backend's whole process group is gone when it resolves. */
  close(): Promise<void>;
}
