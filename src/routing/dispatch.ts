// The MCP methods the gateway serves, each resolved against the catalog and forwarded to the
// owning backend with the original arguments and _meta; results come back unchanged (a tool's
// isError result stays a result). Only local failures become errors (errors/to-jsonrpc.ts).
import { speaksModern, type BackendCallOptions, type CallSink, type JsonObject, type BackendConnector } from '../backends/connector.js';
import type { Principal } from '../auth/types.js';
import type { Catalog } from '../aggregation/catalog.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type CallEvent } from '../observability/channels.js';
import type { Router, Target } from './router.js';
import { optionalCursor, optionalObject, paramsOf, requireString } from './params.js';
import { page } from './pagination.js';
import type { Subscriptions } from './subscriptions.js';

/** The client's protocol era: `legacy` = 2025-era (sessions, server→client requests). */
export type ClientEra = 'legacy' | '2026-07-28';

/** A 2026-07-28 client's retry of an input_required result (the SDK lifts these out of params). */
export interface InputRetry {
  readonly inputResponses?: JsonObject;
  readonly requestState?: string;
}

export interface RequestContext {
  readonly sessionId: string;
  readonly signal: AbortSignal;
  /** Mid-call traffic from the backend goes here (progress, logs, sampling, elicitation, roots). */
  readonly sink: CallSink;
  /** URIs this session subscribed to (resources/subscribe). */
  readonly subscriptions: Set<string>;
  /** Decides what a 2026-07-28 backend's input_required becomes (connector.ts, InputRequiredMode). */
  readonly era: ClientEra;
  /** Who is calling (incoming auth): authorization, per-user views and per-user backend credentials use it. */
  readonly principal?: Principal;
  /** Present on a 2026-07-28 retry that carries inputResponses/requestState for the backend. */
  readonly retry?: InputRetry;
}

export type Handler = (params: JsonObject, ctx: RequestContext) => Promise<JsonObject>;

/** What one request is served from: the catalog (the caller's own view, for per-user backends). */
export interface RequestView {
  readonly catalog: Catalog;
  /** For a name the view does not have: the per-user backend that refused this caller, if it is one of its. */
  refusedBackend?(name: string): { backend: string; reason: string } | undefined;
}

export interface DispatchDeps {
  router: Router;
  view: (ctx: RequestContext) => RequestView | Promise<RequestView>;
  /** Items per list page (server.pageSize). */
  pageSize: number;
  /** Resource subscriptions shared across client sessions (routing/subscriptions.ts). */
  subscriptions: Subscriptions;
}

export function createHandlers(deps: DispatchDeps): ReadonlyMap<string, Handler> {
  const { router } = deps;
  const list =
    (method: string, key: keyof Catalog & ('tools' | 'prompts' | 'resources' | 'templates'), wire: string): Handler =>
    async (params, ctx) => {
      const { catalog } = await deps.view(ctx);
      const { items, nextCursor } = page(method, catalog[key], catalog.version, deps.pageSize, optionalCursor(method, params));
      return nextCursor === undefined ? { [wire]: items } : { [wire]: items, nextCursor };
    };
  const handlers: Record<string, Handler> = {
    'tools/list': list('tools/list', 'tools', 'tools'),
    'prompts/list': list('prompts/list', 'prompts', 'prompts'),
    'resources/list': list('resources/list', 'resources', 'resources'),
    'resources/templates/list': list('resources/templates/list', 'templates', 'resourceTemplates'),
    'tools/call': async (params, ctx) => {
      optionalObject('tools/call', params, 'arguments');
      const target = router.tool(requireString('tools/call', params, 'name'), await deps.view(ctx));
      return forward(target, 'tools/call', { ...params, name: target.route.name }, ctx);
    },
    'prompts/get': async (params, ctx) => {
      optionalObject('prompts/get', params, 'arguments');
      const target = router.prompt(requireString('prompts/get', params, 'name'), await deps.view(ctx));
      return forward(target, 'prompts/get', { ...params, name: target.route.name }, ctx);
    },
    'resources/read': async (params, ctx) =>
      forward(router.resource(requireString('resources/read', params, 'uri'), await deps.view(ctx)), 'resources/read', params, ctx),
    'resources/subscribe': async (params, ctx) => {
      const uri = requireString('resources/subscribe', params, 'uri');
      const target = router.resource(uri, await deps.view(ctx));
      const first = deps.subscriptions.add(target.connector, uri, ctx.sessionId);
      const result = first ? await forward(target, 'resources/subscribe', params, ctx) : {};
      ctx.subscriptions.add(uri);
      return result;
    },
    'resources/unsubscribe': async (params, ctx) => {
      const uri = requireString('resources/unsubscribe', params, 'uri');
      ctx.subscriptions.delete(uri);
      const target = router.resource(uri, await deps.view(ctx));
      const last = deps.subscriptions.remove(target.connector, uri, ctx.sessionId);
      return last ? forward(target, 'resources/unsubscribe', params, ctx) : {};
    },
    'completion/complete': async (params, ctx) => complete(router, await deps.view(ctx), params, ctx),
    'logging/setLevel': async (params, ctx) => setLevel(router.connectors(), params, ctx),
  };
  return new Map(Object.entries(handlers));
}

async function complete(router: Router, view: RequestView, params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
  optionalObject('completion/complete', params, 'ref');
  const ref = (params['ref'] ?? {}) as JsonObject;
  if (ref['type'] === 'ref/prompt') {
    const target = router.prompt(requireString('completion/complete', ref, 'name'), view);
    return forward(target, 'completion/complete', { ...params, ref: { ...ref, name: target.route.name } }, ctx);
  }
  if (ref['type'] === 'ref/resource') {
    const uri = requireString('completion/complete', ref, 'uri');
    return forward(router.template(uri, view) ?? router.resource(uri, view), 'completion/complete', params, ctx);
  }
  throw new VmcpError(
    ErrorCodes.INVALID_PARAMS,
    'Invalid params for completion/complete: params.ref.type must be "ref/prompt" or "ref/resource"',
  );
}

/** logging/setLevel applies to every backend of the session that offers logging. */
async function setLevel(connectors: BackendConnector[], params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
  requireString('logging/setLevel', params, 'level');
  const logging = connectors.filter((c) => c.state === 'ready' && c.info?.capabilities['logging']);
  await Promise.allSettled(logging.map((c) => c.request({ method: 'logging/setLevel', params }, { signal: ctx.signal })));
  return {};
}

/**
 * Forward with the client's _meta, except the progress token: the SDK mints a backend-side token
 * per request (so two clients' tokens never collide on a shared backend) and progress is mapped
 * back to the client's own token here.
 */
async function forward(target: Target, method: string, params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
  const meta = params['_meta'] as JsonObject | undefined;
  const progressToken = meta?.['progressToken'];
  const out: JsonObject = { ...params, ...retryParams(target, ctx.retry) };
  if (meta) {
    const { progressToken: _dropped, ...rest } = meta;
    if (Object.keys(rest).length > 0) out['_meta'] = rest;
    else delete out['_meta'];
  }
  const onProgress =
    progressToken === undefined
      ? undefined
      : (p: JsonObject) => {
          void ctx.sink.notify({ method: 'notifications/progress', params: { ...p, progressToken } }).catch(() => undefined);
        };
  // A 2026-07-28 client answers a 2026-07-28 backend's input_required itself; a 2025-era client
  // cannot, so the connector answers it through the sink (which relays to that client).
  const inputRequired = ctx.era === '2026-07-28' ? 'return' : 'fulfil';
  const options: BackendCallOptions = {
    signal: ctx.signal,
    sink: ctx.sink,
    onProgress,
    inputRequired,
    ...(ctx.principal ? { principal: ctx.principal } : {}),
  };
  const started = performance.now();
  const event: CallEvent = { method, backend: target.connector.name, name: target.route.name, durationMs: 0, outcome: 'ok' };
  try {
    return await target.connector.request({ method, params: out }, options);
  } catch (err) {
    event.outcome = 'error';
    event.error = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    event.durationMs = performance.now() - started;
    publish(channels.call, event);
  }
}

/**
 * A 2026-07-28 backend gets the client's inputResponses/requestState back in params (they are its
 * own round trip). A 2025-era backend never issued a requestState, and those the gateway issues
 * for it are consumed at the edge (edge/input-bridge.ts), so one that reaches here is not valid.
 */
function retryParams(target: Target, retry: InputRetry | undefined): JsonObject {
  if (!retry) return {};
  if (speaksModern(target.connector.info)) {
    return {
      ...(retry.inputResponses ? { inputResponses: retry.inputResponses } : {}),
      ...(retry.requestState !== undefined ? { requestState: retry.requestState } : {}),
    };
  }
  if (retry.requestState !== undefined) throw new VmcpError(ErrorCodes.INVALID_PARAMS, 'Invalid or expired requestState');
  return {};
}

export { paramsOf };
