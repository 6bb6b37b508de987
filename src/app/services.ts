// What the edge serves: the dispatcher (every MCP method, on the one chain), what to advertise to
// a new session, and the client notifications the backends must hear.
import type { BackendConnector } from '../backends/connector.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import type { RuntimeConfig } from '../config/types.js';
import type { GatewayCore } from '../edge/core.js';
import type { Dispatcher } from '../routing/dispatcher.js';
import type { Subscriptions } from '../routing/subscriptions.js';
import { mergeInstructions, unionCapabilities } from './capabilities.js';
import { VERSION } from './version.js';

export function createCore(
  config: RuntimeConfig,
  connectors: ReadonlyMap<string, BackendConnector>,
  dispatcher: Dispatcher,
  subscriptions: Subscriptions,
): GatewayCore {
  const all = () => [...connectors.values()]; // a config reload changes the backends
  const gatewayLogs = () => all().some((c) => c instanceof PerUserConnector);
  return {
    serverInfo: { name: config.name, version: VERSION, title: `vmcp: ${config.name}` },
    dispatcher,
    capabilities: () => unionCapabilities(all(), gatewayLogs()),
    instructions: () => mergeInstructions(all()),
    onSessionClosed: (sessionId) => void subscriptions.release(sessionId),
    onClientNotification: (_session, n) => {
      // Roots changed at the client: tell the backends that ask for roots, so they ask again.
      if (n.method !== 'notifications/roots/list_changed') return;
      for (const c of all()) if (c.asksForRoots) void c.notify(n).catch(() => undefined);
    },
  };
}
