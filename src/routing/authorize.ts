// Authorization as a wrapper around the handler table (house rule 3): one decision filters the
// list responses and gates the calls (ToolHive's admission seam), so a principal sees exactly what
// it may use. A denied call gets a 403-style error naming the action, never the policy.
import { ANONYMOUS, type Principal } from '../auth/types.js';
import type { JsonObject } from '../backends/connector.js';
import type { Catalog } from '../aggregation/catalog.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { Handler, RequestContext, RequestView } from './dispatch.js';

type Kind = 'tool' | 'prompt' | 'resource';

/** What routing needs from an authorizer (implemented by auth/authz/cedar.ts). */
export interface Authorizer {
  authorize(req: {
    principal: Principal;
    action: 'call_tool' | 'get_prompt' | 'read_resource';
    resource: { kind: Kind; name: string; backend: string; annotations?: Record<string, unknown> };
  }): { allowed: boolean; action: string };
  filter<T>(
    principal: Principal,
    kind: Kind,
    items: readonly T[],
    describe: (item: T) => { name: string; backend: string; annotations?: Record<string, unknown> },
  ): T[];
}

export interface AuthorizeDeps {
  authorizer: Authorizer;
  /** The view the request is served from (the caller's own, for per-user backends). */
  view: (ctx: RequestContext) => Promise<RequestView> | RequestView;
}

const LISTS: Record<string, { key: string; kind: Kind; routeOf: (c: Catalog, item: JsonObject) => string | undefined }> = {
  'tools/list': { key: 'tools', kind: 'tool', routeOf: (c, t) => c.tool(String(t['name']))?.backend },
  'prompts/list': { key: 'prompts', kind: 'prompt', routeOf: (c, p) => c.prompt(String(p['name']))?.backend },
  'resources/list': { key: 'resources', kind: 'resource', routeOf: (c, r) => c.resource(String(r['uri']))?.backend },
};

const GATES: Record<string, { action: 'call_tool' | 'get_prompt' | 'read_resource'; kind: Kind; field: string }> = {
  'tools/call': { action: 'call_tool', kind: 'tool', field: 'name' },
  'prompts/get': { action: 'get_prompt', kind: 'prompt', field: 'name' },
  'resources/read': { action: 'read_resource', kind: 'resource', field: 'uri' },
  'resources/subscribe': { action: 'read_resource', kind: 'resource', field: 'uri' },
};

export function withAuthorization(handlers: ReadonlyMap<string, Handler>, deps: AuthorizeDeps): Map<string, Handler> {
  const out = new Map(handlers);
  for (const [method, list] of Object.entries(LISTS)) {
    const inner = handlers.get(method);
    if (!inner) continue;
    out.set(method, async (params, ctx) => {
      const result = await inner(params, ctx);
      const { catalog } = await deps.view(ctx);
      const items = (result[list.key] ?? []) as JsonObject[];
      const allowed = deps.authorizer.filter(ctx.principal ?? ANONYMOUS, list.kind, items, (item) =>
        describe(catalog, list.kind, item, list.routeOf(catalog, item)),
      );
      return { ...result, [list.key]: allowed };
    });
  }
  for (const [method, gate] of Object.entries(GATES)) {
    const inner = handlers.get(method);
    if (!inner) continue;
    out.set(method, async (params, ctx) => {
      const name = params[gate.field];
      if (typeof name === 'string') await check(deps, ctx, gate, name);
      return inner(params, ctx);
    });
  }
  return out;
}

async function check(deps: AuthorizeDeps, ctx: RequestContext, gate: (typeof GATES)[string], name: string): Promise<void> {
  const { catalog } = await deps.view(ctx);
  const route =
    gate.kind === 'tool'
      ? catalog.tool(name)
      : gate.kind === 'prompt'
        ? catalog.prompt(name)
        : (catalog.resource(name) ?? catalog.matchTemplate(name));
  if (!route) return; // unknown names get the router's "not found" error
  const decision = deps.authorizer.authorize({
    principal: ctx.principal ?? ANONYMOUS,
    action: gate.action,
    resource: { kind: gate.kind, ...describe(catalog, gate.kind, gate.kind === 'resource' ? { uri: name } : { name }, route.backend) },
  });
  if (!decision.allowed) {
    throw new VmcpError(
      ErrorCodes.FORBIDDEN,
      `Forbidden: ${decision.action} on ${gate.kind} "${name}" is not permitted by authorization policy`,
      { action: decision.action },
    );
  }
}

function describe(catalog: Catalog, kind: Kind, item: JsonObject, backend: string | undefined) {
  const name = String(kind === 'resource' ? item['uri'] : item['name']);
  const annotations = kind === 'tool' ? (catalog.toolDefinition(name)?.['annotations'] as Record<string, unknown> | undefined) : undefined;
  return { name, backend: backend ?? '', ...(annotations ? { annotations } : {}) };
}
