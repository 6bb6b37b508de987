// The GatewayCore the edge serves: the handler table (with authorization when configured), the
// capabilities and instructions to advertise, and client notifications to pass on.
import type { RuntimeConfig } from '../config/types.js';
import type { GatewayCore } from '../edge/core.js';
import { Router } from '../routing/router.js';
import { createHandlers, type RequestContext, type RequestView } from '../routing/dispatch.js';
import { UserCatalogs } from '../aggregation/user-catalogs.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import { withAuthorization } from '../routing/authorize.js';
import { Subscriptions } from '../routing/subscriptions.js';
import { unavailableError } from '../health/unavailable.js';
import { mergeInstructions, unionCapabilities } from './capabilities.js';
import type { Parts } from './assemble.js';
import { VERSION } from './version.js';

/**
 * The view a request is served from: the shared catalog, or — when per-user backends exist and the
 * caller has a token — the caller's own view with those backends discovered with their credentials.
 */
function createViews(config: RuntimeConfig, parts: Parts): (ctx: RequestContext) => Promise<RequestView> {
  const { catalogs, connectors } = parts;
  const perUser = connectors.filter((c): c is PerUserConnector => c instanceof PerUserConnector);
  const users = new UserCatalogs(
    () => catalogs.inputs(),
    {
      names: perUser.map((c) => c.name),
      forUser: (backend, principal) => perUser.find((c) => c.name === backend)!.forUser(principal),
    },
    config.aggregation,
    config.backends.map((b) => b.name),
  );
  catalogs.onChange(() => users.invalidate());
  for (const c of perUser) {
    c.onUserChange(() => {
      users.invalidate();
      parts.coalescer.push(['tools', 'prompts', 'resources']); // clients re-list and get fresh views
    });
  }
  const told = new WeakMap<object, Set<string>>(); // per view: the sessions already told
  return async (ctx) => {
    const mine = users.view(ctx.principal, catalogs.catalog.version);
    if (!mine) return { catalog: catalogs.catalog };
    const v = await mine;
    const sessions = told.get(v) ?? new Set<string>();
    told.set(v, sessions);
    if (v.refused.size > 0 && !sessions.has(ctx.sessionId)) {
      sessions.add(ctx.sessionId);
      for (const [backend, reason] of v.refused) notifyRefusal(ctx, backend, reason);
    }
    return v;
  };
}

/** A per-user backend that refused the caller shows up in their session, not as a silent absence. */
function notifyRefusal(ctx: RequestContext, backend: string, reason: string): void {
  const data = `vmcp: backend "${backend}" did not accept your credentials (${reason}); authenticate with it to see and use its tools`;
  void ctx.sink.notify({ method: 'notifications/message', params: { level: 'warning', logger: 'vmcp', data } }).catch(() => undefined);
}

export async function createCore(config: RuntimeConfig, parts: Parts): Promise<GatewayCore> {
  const { catalogs, guarded, monitor, connectors } = parts;
  const router = new Router(() => catalogs.catalog, new Map(guarded.map((c) => [c.name, c])), {
    full: () => catalogs.fullCatalog,
    unavailable: (backend, what) => unavailableError(backend, monitor.get(backend), what),
  });
  const view = createViews(config, parts);
  const subscriptions = new Subscriptions();
  let handlers = createHandlers({ router, view, pageSize: config.server.pageSize, subscriptions });
  if (config.authz) {
    // Loaded only when policies are configured: the Cedar engine is a WebAssembly module.
    const { CedarAuthorizer } = await import('../auth/authz/cedar.js');
    const authorizer = new CedarAuthorizer({
      policies: config.authz.policies,
      entitiesJson: config.authz.entitiesJson,
      gatewayName: config.name,
    });
    handlers = withAuthorization(handlers, { authorizer, view });
  }
  return {
    serverInfo: { name: config.name, version: VERSION, title: `vmcp: ${config.name}` },
    handlers,
    capabilities: () =>
      unionCapabilities(
        guarded,
        connectors.some((c) => c instanceof PerUserConnector),
      ),
    instructions: () => mergeInstructions(guarded),
    onSessionClosed: (sessionId) => void subscriptions.release(sessionId),
    onClientNotification: (_session, n) => {
      // Roots changed at the client: tell the backends that ask for roots, so they ask again.
      if (n.method === 'notifications/roots/list_changed')
        for (const c of guarded) if (c.asksForRoots) void c.notify(n).catch(() => undefined);
    },
  };
}
