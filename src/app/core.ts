// The GatewayCore the edge serves: the handler table (with authorization when configured), the
// capabilities and instructions to advertise, and client notifications to pass on.
import type { RuntimeConfig } from '../config/types.js';
import type { GatewayCore } from '../edge/core.js';
import { Router } from '../routing/router.js';
import { createHandlers } from '../routing/dispatch.js';
import { withAuthorization } from '../routing/authorize.js';
import { unavailableError } from '../health/unavailable.js';
import { mergeInstructions, unionCapabilities } from './capabilities.js';
import type { Parts } from './assemble.js';
import { VERSION } from './version.js';

export async function createCore(config: RuntimeConfig, parts: Parts): Promise<GatewayCore> {
  const { catalogs, guarded, monitor } = parts;
  const router = new Router(() => catalogs.catalog, new Map(guarded.map((c) => [c.name, c])), {
    full: () => catalogs.fullCatalog,
    unavailable: (backend, what) => unavailableError(backend, monitor.get(backend), what),
  });
  let handlers = createHandlers({ router, catalog: () => catalogs.catalog });
  if (config.authz) {
    // Loaded only when policies are configured: the Cedar engine is a WebAssembly module.
    const { CedarAuthorizer } = await import('../auth/authz/cedar.js');
    const authorizer = new CedarAuthorizer({ policies: config.authz.policies, entitiesJson: config.authz.entitiesJson, gatewayName: config.name });
    handlers = withAuthorization(handlers, { authorizer, catalog: () => catalogs.catalog });
  }
  return {
    serverInfo: { name: config.name, version: VERSION, title: `vmcp: ${config.name}` },
    handlers,
    capabilities: () => unionCapabilities(guarded),
    instructions: () => mergeInstructions(guarded),
    onClientNotification: (_session, n) => {
      // Roots changed at the client: tell the backends that ask for roots, so they ask again.
      if (n.method === 'notifications/roots/list_changed') for (const c of guarded) if (c.asksForRoots) void c.notify(n).catch(() => undefined);
    },
  };
}

