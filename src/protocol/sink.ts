// The channel back to the client that made a call: mid-call traffic from a backend (its requests
// for sampling, elicitation and roots; its progress and log messages) travels through the sink
// bound to that one client request, so it reaches exactly the client that caused it.
import type { JsonObject, RpcNotification, RpcRequest } from './json-rpc.js';

export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

export interface CallSink {
  /** The client session the call belongs to (a 2026-07-28 request has a per-request id). */
  readonly sessionId: string;
  /** Relay a server→client request; refused when the client did not declare the capability. */
  request(req: RpcRequest, signal: AbortSignal): Promise<JsonObject>;
  /** A log message (or any other notification) for this client request. */
  notify(notification: RpcNotification): Promise<void>;
  /** Present when the client asked for progress: delivers it under the client's own token. */
  readonly progress?: (p: Progress & JsonObject) => void;
}
