// The view a request is served from: the shared catalog, or — when per-user backends exist and the
// caller has a token — the caller's own catalog with those backends discovered with their
// credentials; with authorization configured, its lists filtered to what the principal may see
// (the same decision that gates calls). Building a view has no side effects.
import { ANONYMOUS, type Principal } from '../auth/types.js';
import type { Catalog } from '../aggregation/catalog.js';
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import { UserCatalogs } from '../aggregation/user-catalogs.js';
import type { BackendConnector } from '../backends/connector.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import type { RuntimeConfig } from '../config/types.js';
import type { RequestContext } from '../routing/context.js';
import type { Authorizer, AuthzKind } from '../routing/middleware/authorize.js';
import { createView, type RequestView, type VirtualProvider } from '../routing/view.js';
import type { JsonObject } from '../protocol/index.js';
import type { GatewayEvents } from './events.js';

export type ViewSource = (ctx: RequestContext) => Promise<RequestView> | RequestView;

export interface ViewDeps {
  config: RuntimeConfig;
  catalogs: CatalogManager;
  connectors: ReadonlyMap<string, BackendConnector>;
  events: GatewayEvents;
  authorizer?: Authorizer;
  virtual?: ReadonlyMap<string, VirtualProvider>;
  /** Features that change what a view lists (tool search). */
  decorate?: (view: RequestView, ctx: RequestContext) => Promise<RequestView>;
}

/** `disposers` receives the listeners this view source registers (a config reload replaces it). */
export function createViews(deps: ViewDeps, disposers: (() => void)[] = []): ViewSource {
  const { catalogs, connectors } = deps;
  const perUser = [...connectors.values()].filter((c): c is PerUserConnector => c instanceof PerUserConnector);
  const users = new UserCatalogs(
    () => catalogs.inputs(),
    {
      names: perUser.map((c) => c.name),
      forUser: (backend, principal) => (connectors.get(backend) as PerUserConnector).forUser(principal),
      personal: (backend, principal) => (connectors.get(backend) as PerUserConnector).personal(principal),
    },
    deps.config.aggregation,
    deps.config.backends.map((b) => b.name),
  );
  disposers.push(catalogs.onChange(() => users.invalidate()));
  for (const c of perUser) disposers.push(c.onUserChange(() => users.invalidate()));
  const filtered = deps.authorizer ? new AuthorizedCatalogs(deps.authorizer) : undefined;
  const soleResourceBackend = () => {
    const serving = [...connectors.values()].filter((c) => c.state === 'ready' && c.info?.capabilities['resources']);
    return serving.length === 1 ? serving[0]!.name : undefined;
  };
  return async (ctx) => {
    const principal = ctx.principal;
    const mine = users.view(principal, catalogs.catalog.version);
    const v = mine ? await mine : undefined;
    const catalog = v?.catalog ?? catalogs.catalog;
    const view = createView({
      catalog: filtered ? filtered.catalog(catalog, principal) : catalog,
      full: catalogs.fullCatalog,
      ...(v ? { refused: v.refused, refusedBackend: v.refusedBackend } : {}),
      soleResourceBackend,
      ...(deps.virtual ? { virtual: deps.virtual } : {}),
    });
    return deps.decorate ? deps.decorate(view, ctx) : view;
  };
}

/** Per-principal filtered lists, cached per catalog snapshot (bounded); lookups are unchanged. */
class AuthorizedCatalogs {
  readonly #authorizer: Authorizer;
  readonly #cache = new WeakMap<Catalog, Map<string, Catalog>>();

  constructor(authorizer: Authorizer) {
    this.#authorizer = authorizer;
  }

  catalog(catalog: Catalog, principal: Principal = ANONYMOUS): Catalog {
    const key = JSON.stringify([principal.kind, principal.issuer ?? '', principal.subject, principal.scopes, principal.claims]);
    let perCatalog = this.#cache.get(catalog);
    if (!perCatalog) this.#cache.set(catalog, (perCatalog = new Map()));
    const hit = perCatalog.get(key);
    if (hit) return hit;
    const made = this.#filter(catalog, principal);
    if (perCatalog.size >= MAX_PRINCIPALS) perCatalog.delete(perCatalog.keys().next().value as string);
    perCatalog.set(key, made);
    return made;
  }

  #filter(catalog: Catalog, principal: Principal): Catalog {
    const only = (kind: AuthzKind, items: readonly JsonObject[], nameKey: 'name' | 'uri', route: (n: string) => string | undefined) =>
      this.#authorizer.filter(principal, kind, items, (item) => {
        const name = String(item[nameKey]);
        const annotations = kind === 'tool' ? (item['annotations'] as Record<string, unknown> | undefined) : undefined;
        return { name, backend: route(name) ?? '', ...(annotations ? { annotations } : {}) };
      });
    return Object.freeze({
      ...catalogMethods(catalog),
      tools: only('tool', catalog.tools, 'name', (n) => catalog.tool(n)?.backend),
      prompts: only('prompt', catalog.prompts, 'name', (n) => catalog.prompt(n)?.backend),
      resources: only('resource', catalog.resources, 'uri', (n) => catalog.resource(n)?.backend),
    });
  }
}

/** Claims that change a decision are part of the key; beyond this many principals the oldest is dropped. */
const MAX_PRINCIPALS = 1000;

function catalogMethods(c: Catalog): Catalog {
  return {
    version: c.version,
    tools: c.tools,
    prompts: c.prompts,
    resources: c.resources,
    templates: c.templates,
    backends: c.backends,
    tool: (n) => c.tool(n),
    toolDefinition: (n) => c.toolDefinition(n),
    prompt: (n) => c.prompt(n),
    resource: (u) => c.resource(u),
    template: (t) => c.template(t),
    matchTemplate: (u) => c.matchTemplate(u),
  };
}
