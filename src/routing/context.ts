// The request chain's vocabulary. Every request a client makes is resolved once, at the start of
// routing, into a ResolvedCall {method, params, target, ctx}; every cross-cutting behaviour is a
// CallMiddleware over it, composed in one ordered list built in app/ (undici's Dispatcher.compose,
// Hono's compose). No middleware resolves a name again.
import type { Principal } from '../auth/types.js';
import type { BackendConnector, Deadline, InputRequiredMode } from '../backends/connector.js';
import type { Catalog } from '../aggregation/catalog.js';
import type { CallSink, ClientEra, JsonObject, RequestId } from '../protocol/index.js';

/** A 2026-07-28 client's retry of an input_required result (the SDK lifts these out of params). */
export interface InputRetry {
  readonly inputResponses?: JsonObject;
  readonly requestState?: string;
}

/** The client session a request belongs to (2025 era: the session; 2026-07-28: the request itself). */
export interface SessionInfo {
  readonly id: string;
  readonly era: ClientEra;
  /** What the client declared (2025 era: at initialize; 2026-07-28: in this request's _meta). */
  readonly clientCapabilities: JsonObject;
  readonly clientInfo?: { readonly name: string; readonly version: string };
  /** The level set by logging/setLevel (2025 era) or this request's log level (2026-07-28). */
  logLevel?: string;
  /** URIs this session subscribed to (resources/subscribe). */
  readonly subscriptions: Set<string>;
}

export interface RequestContext {
  readonly session: SessionInfo;
  /** Who is calling (incoming auth); ANONYMOUS when nobody authenticated. */
  readonly principal: Principal;
  /** The client's IP address as the HTTP edge saw it (absent over stdio): for the audit log. */
  readonly remoteAddress?: string;
  readonly signal: AbortSignal;
  /** Mid-call traffic goes back through here, to exactly this client request. */
  readonly sink: CallSink;
  readonly requestId?: RequestId;
  /** Present on a 2026-07-28 retry that carries inputResponses/requestState for the backend. */
  readonly retry?: InputRetry;
  /** Validated headers for backends (Mcp-Param-* of this request, passthrough headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The client's `mcp-param-*` headers as received (lower-case names), checked per tool call. */
  readonly mcpParams?: Readonly<Record<string, string>>;
  /** W3C trace context of the client's HTTP request (its `traceparent`/`tracestate` headers), when it sent one. */
  readonly traceContext?: Readonly<{ traceparent: string; tracestate?: string }>;
  /** The call this request is part of (a composite step, a call_tool, a script's inner call). */
  readonly parent?: ResolvedCall;
  /** The composite workflow step making this inner call (`loop[3]` for a forEach iteration). */
  readonly step?: string;
  /** Set for virtual targets: how they make inner calls, each through the whole chain. */
  readonly calls?: InnerCalls;
}

/** What a virtual tool may do on its caller's behalf (routing/dispatcher.ts implements it). */
export interface InnerCalls {
  /** Call a tool by the name the caller's view gives it, as the caller, through the whole chain. */
  callTool(name: string, args: JsonObject, ctx: RequestContext): Promise<JsonObject>;
  /**
   * Call a backend's tool by its own name, also one the aggregation filters leave out of every
   * list (a composite step may call it, a client may not), as the caller, through the whole chain.
   */
  callBackendTool(backend: string, name: string, args: JsonObject, ctx: RequestContext): Promise<JsonObject>;
  /** The caller's view (what it may list and call). */
  view(ctx: RequestContext): Promise<RequestView>;
}

export type EntryKind = 'tool' | 'prompt' | 'resource' | 'template';

/** A backend's own tool, prompt, resource or template. */
export interface BackendTarget {
  readonly kind: 'backend';
  readonly backend: string;
  readonly entry: EntryKind;
  /** The backend's own name or URI. */
  readonly name: string;
  /** The name or URI the client used. */
  readonly advertised: string;
  /** The advertised tool definition (annotations), for tools. */
  readonly definition?: JsonObject;
}

/** A tool the gateway itself implements (composite tools, tool search, code mode). */
export interface VirtualTarget {
  readonly kind: 'virtual';
  readonly provider: string;
  readonly name: string;
  readonly advertised: string;
  readonly definition: JsonObject;
  /** Runs the tool; inner calls go back through the chain. */
  run(call: ResolvedCall): Promise<JsonObject>;
}

/** A request the gateway answers from its own state (lists, fan-outs, bookkeeping). */
export interface LocalTarget {
  readonly kind: 'local';
  run(call: ResolvedCall): Promise<JsonObject>;
}

export type Target = BackendTarget | VirtualTarget | LocalTarget;

export interface ResolvedCall {
  readonly method: string;
  /** What the target receives (name rewritten to the backend's own, the client's progress token removed). */
  readonly params: JsonObject;
  readonly target: Target;
  readonly ctx: RequestContext;
  /** Set by the deadline middleware. */
  readonly deadline?: Deadline;
  /** Set by the connection middleware: the connector that serves this caller. */
  readonly connector?: BackendConnector;
  /** How a 2026-07-28 backend's input_required is handled for this caller. */
  readonly inputRequired?: InputRequiredMode;
}

export type CallHandler = (call: ResolvedCall) => Promise<JsonObject>;
export type CallMiddleware = (next: CallHandler) => CallHandler;

/** compose(a, b, c)(send) = a(b(c(send))): the first middleware sees the call first. */
export function compose(...middleware: readonly CallMiddleware[]): (terminal: CallHandler) => CallHandler {
  return (terminal) => middleware.reduceRight<CallHandler>((next, m) => m(next), terminal);
}

/** The methods that call a backend entry by name or URI (and are authorized, rate-limited, audited). */
export const CALL_METHODS: ReadonlySet<string> = new Set([
  'tools/call',
  'prompts/get',
  'resources/read',
  'resources/subscribe',
  'completion/complete',
]);

export type Resolution =
  | { readonly ok: BackendTarget | VirtualTarget }
  /** The name exists on a backend the health layer has taken out of service. */
  | { readonly hidden: string }
  /** The name would belong to a per-user backend that refused this caller. */
  | { readonly refused: { readonly backend: string; readonly reason: string } }
  | { readonly unknown: true };

export interface RequestView {
  readonly catalog: Catalog;
  /** Per-user backends that refused this caller, with a sanitized reason. */
  readonly refused: ReadonlyMap<string, string>;
  resolve(entry: EntryKind, name: string): Resolution;
}
