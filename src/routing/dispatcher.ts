// The MCP methods the gateway serves. Each handler checks its parameters (the client's fault:
// -32602 naming the field), resolves the name once against the caller's view, and hands a
// ResolvedCall to the chain. Results pass through unchanged (a tool's isError result stays a
// result); only local failures become errors, in errors/to-wire.ts.
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { ClientEra, JsonObject } from '../protocol/index.js';
import type { BackendConnector } from '../backends/connector.js';
import type { CallHandler, EntryKind, InnerCalls, LocalTarget, RequestContext, ResolvedCall, Target } from './context.js';
import { optionalCursor, optionalObject, requireLogLevel, requireString } from './params.js';
import { page } from './pagination.js';
import type { Subscriptions } from './subscriptions.js';
import type { RequestView } from './view.js';
import { RefusalNotices } from './notices.js';
import { splitProgressToken } from './progress.js';
import { checkMcpParams } from './mcp-params.js';

export type Handler = (params: JsonObject, ctx: RequestContext) => Promise<JsonObject>;

export interface DispatcherDeps {
  /** The caller's view (authorized, with their per-user backends). */
  views(ctx: RequestContext): Promise<RequestView> | RequestView;
  /** The one request chain (composed in app/). */
  chain: CallHandler;
  /** Items per list page for a client of this era; undefined: the whole list in one page. */
  pageSize(era: ClientEra): number | undefined;
  subscriptions: Subscriptions;
  /** Every backend connector, for fan-outs (logging/setLevel). */
  connectors(): readonly BackendConnector[];
  /** The error for a name whose backend the health layer took out of service. */
  unavailable(backend: string, what: string): Error;
}

const LISTS = {
  'tools/list': ['tools', 'tools'],
  'prompts/list': ['prompts', 'prompts'],
  'resources/list': ['resources', 'resources'],
  'resources/templates/list': ['templates', 'resourceTemplates'],
} as const;

export class Dispatcher {
  readonly #deps: DispatcherDeps;
  readonly #handlers = new Map<string, Handler>();
  readonly #notices = new RefusalNotices();

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    for (const [method, [key, wire]] of Object.entries(LISTS))
      this.#handlers.set(method, (p, ctx) => this.#list(method, key, wire, p, ctx));
    this.#handlers.set('tools/call', (p, ctx) => this.#byName('tools/call', 'tool', 'name', p, ctx));
    this.#handlers.set('prompts/get', (p, ctx) => this.#byName('prompts/get', 'prompt', 'name', p, ctx));
    this.#handlers.set('resources/read', (p, ctx) => this.#byName('resources/read', 'resource', 'uri', p, ctx));
    this.#handlers.set('resources/subscribe', (p, ctx) => this.#subscribe(p, ctx));
    this.#handlers.set('resources/unsubscribe', (p, ctx) => this.#unsubscribe(p, ctx));
    this.#handlers.set('completion/complete', (p, ctx) => this.#complete(p, ctx));
    this.#handlers.set('logging/setLevel', (p, ctx) => this.#setLevel(p, ctx));
  }

  has(method: string): boolean {
    return this.#handlers.has(method);
  }

  /** Serve one request; throws VmcpError (or a backend's own ProtocolError) on failure. */
  handle(method: string, params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    const handler = this.#handlers.get(method);
    if (!handler) return Promise.reject(new VmcpError(ErrorCodes.METHOD_NOT_FOUND, `Method not found: ${method}`, { method }));
    return handler(params, ctx);
  }

  /**
   * 2026-07-28 `tools/call`: the Mcp-Param-* headers checked against the tool's declarations before
   * the request is served, so a mismatch is answered at the HTTP level (400, -32020).
   */
  async checkHeaders(params: JsonObject, ctx: RequestContext): Promise<void> {
    const name = params['name'];
    if (typeof name !== 'string') return;
    const r = (await this.#deps.views(ctx)).resolve('tool', name);
    if ('ok' in r && r.ok.kind === 'backend')
      checkMcpParams(r.ok.definition, (params['arguments'] ?? {}) as JsonObject, ctx.mcpParams ?? {});
  }

  /** An inner call (composite step, call_tool, script): resolved against the caller's view, through the chain. */
  async callTool(name: string, args: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    return this.#byName('tools/call', 'tool', 'name', { name, arguments: args }, ctx);
  }

  get notices(): RefusalNotices {
    return this.#notices;
  }

  async #list(
    method: string,
    key: 'tools' | 'prompts' | 'resources' | 'templates',
    wire: string,
    params: JsonObject,
    ctx: RequestContext,
  ): Promise<JsonObject> {
    const cursor = optionalCursor(method, params);
    const view = await this.#deps.views(ctx);
    this.#notices.tell(ctx, view);
    const run = async (): Promise<JsonObject> => {
      const { items, nextCursor } = page(method, view.catalog[key], view.catalog.version, this.#deps.pageSize(ctx.session.era), cursor);
      return nextCursor === undefined ? { [wire]: items } : { [wire]: items, nextCursor };
    };
    return this.#local(method, params, ctx, run);
  }

  async #byName(method: string, entry: EntryKind, field: 'name' | 'uri', params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    if (method !== 'resources/read') optionalObject(method, params, 'arguments');
    const name = requireString(method, params, field);
    const view = await this.#deps.views(ctx);
    const target = this.#target(view, entry, name, `${method} "${name}"`, ctx);
    const forwarded = target.kind === 'backend' && field === 'name' ? { ...params, name: target.name } : params;
    const call = this.#call(method, forwarded, target, ctx);
    if (entry !== 'tool' || ctx.session.era !== '2026-07-28' || target.kind !== 'backend') return this.#deps.chain(call);
    const headers = checkMcpParams(target.definition, (params['arguments'] ?? {}) as JsonObject, ctx.mcpParams ?? {});
    return this.#deps.chain({ ...call, ctx: { ...ctx, headers: { ...ctx.headers, ...headers } } });
  }

  async #subscribe(params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    const uri = requireString('resources/subscribe', params, 'uri');
    const view = await this.#deps.views(ctx);
    const target = this.#target(view, 'resource', uri, `resources/subscribe "${uri}"`, ctx);
    if (target.kind !== 'backend')
      throw new VmcpError(ErrorCodes.INVALID_PARAMS, `Invalid params for resources/subscribe: "${uri}" cannot be subscribed to`);
    const first = this.#deps.subscriptions.add(target.backend, uri, ctx.session.id);
    const result = first ? await this.#deps.chain(this.#call('resources/subscribe', params, target, ctx)) : {};
    ctx.session.subscriptions.add(uri);
    return result;
  }

  async #unsubscribe(params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    const uri = requireString('resources/unsubscribe', params, 'uri');
    ctx.session.subscriptions.delete(uri);
    const view = await this.#deps.views(ctx);
    const target = this.#target(view, 'resource', uri, `resources/unsubscribe "${uri}"`, ctx);
    if (target.kind !== 'backend' || !this.#deps.subscriptions.remove(target.backend, uri, ctx.session.id)) return {};
    return this.#deps.chain(this.#call('resources/unsubscribe', params, target, ctx));
  }

  async #complete(params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    optionalObject('completion/complete', params, 'ref');
    const ref = (params['ref'] ?? {}) as JsonObject;
    const view = await this.#deps.views(ctx);
    if (ref['type'] === 'ref/prompt') {
      const name = requireString('completion/complete', ref, 'name');
      const target = this.#target(view, 'prompt', name, `completion/complete "${name}"`, ctx);
      const forwarded = target.kind === 'backend' ? { ...params, ref: { ...ref, name: target.name } } : params;
      return this.#deps.chain(this.#call('completion/complete', forwarded, target, ctx));
    }
    if (ref['type'] === 'ref/resource') {
      const uri = requireString('completion/complete', ref, 'uri');
      const template = view.resolve('template', uri);
      const target = 'ok' in template ? template.ok : this.#target(view, 'resource', uri, `completion/complete "${uri}"`, ctx);
      return this.#deps.chain(this.#call('completion/complete', params, target, ctx));
    }
    throw new VmcpError(
      ErrorCodes.INVALID_PARAMS,
      'Invalid params for completion/complete: params.ref.type must be "ref/prompt" or "ref/resource"',
    );
  }

  /** logging/setLevel: kept on the session, and passed to every 2025-era backend that logs. */
  async #setLevel(params: JsonObject, ctx: RequestContext): Promise<JsonObject> {
    const level = requireLogLevel('logging/setLevel', params);
    ctx.session.logLevel = level;
    const logging = this.#deps.connectors().filter((c) => c.state === 'ready' && c.info?.capabilities['logging']);
    const fanOut = logging.map((c) => {
      const target: Target = { kind: 'backend', backend: c.name, entry: 'tool', name: 'logging/setLevel', advertised: 'logging/setLevel' };
      return this.#deps.chain(this.#call('logging/setLevel', { level }, target, ctx));
    });
    await Promise.allSettled(fanOut);
    return {};
  }

  #local(method: string, params: JsonObject, ctx: RequestContext, run: () => Promise<JsonObject>): Promise<JsonObject> {
    const target: LocalTarget = { kind: 'local', run };
    return this.#deps.chain(this.#call(method, params, target, ctx));
  }

  #call(method: string, params: JsonObject, target: Target, ctx: RequestContext): ResolvedCall {
    const inputRequired = ctx.session.era === '2026-07-28' ? 'return' : 'fulfil';
    // A virtual tool keeps the client's params (its own progress token included: it reports
    // progress itself) and gets the means to make inner calls through the chain.
    if (target.kind === 'virtual') return { method, params, target, ctx: { ...ctx, calls: this.#inner }, inputRequired };
    return { method, params: splitProgressToken(params), target, ctx, inputRequired };
  }

  readonly #inner: InnerCalls = {
    callTool: (name, args, ctx) => this.callTool(name, args, ctx),
    callBackendTool: (backend, name, args, ctx) => {
      // Authorized under the backend's own name: the tool has no advertised one.
      const target: Target = { kind: 'backend', backend, entry: 'tool', name, advertised: name };
      return this.#deps.chain(this.#call('tools/call', { name, arguments: args }, target, ctx));
    },
    view: async (ctx) => this.#deps.views(ctx),
  };

  #target(view: RequestView, entry: EntryKind, name: string, what: string, ctx: RequestContext) {
    const r = view.resolve(entry, name);
    if ('ok' in r) return r.ok;
    if ('hidden' in r) throw this.#deps.unavailable(r.hidden, what);
    if ('refused' in r) {
      this.#notices.tell(ctx, view);
      const { backend, reason } = r.refused;
      throw new VmcpError(
        ErrorCodes.BACKEND_AUTH_REQUIRED,
        `Backend "${backend}" did not accept your credentials (${reason}): you must authenticate with that backend to use "${name}"`,
        { backend },
      );
    }
    throw notFound(entry, name);
  }
}

function notFound(entry: EntryKind, name: string): VmcpError {
  if (entry === 'tool') return new VmcpError(ErrorCodes.TOOL_NOT_FOUND, `Unknown tool: "${name}"`, { tool: name });
  if (entry === 'prompt') return new VmcpError(ErrorCodes.PROMPT_NOT_FOUND, `Unknown prompt: "${name}"`, { prompt: name });
  return new VmcpError(ErrorCodes.RESOURCE_NOT_FOUND, `Resource not found: "${name}"`, { uri: name });
}
