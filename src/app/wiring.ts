// How the long-lived parts react to each other, through the typed events and connector listeners:
// a backend that connects is discovered and probed at once; one that drops is noticed at once;
// list changes rebuild the catalog; health changes hide or show a backend's entries.
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import type { BackendConnector } from '../backends/connector.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { GatewayEvents } from './events.js';

export function wireBackends(
  connectors: ReadonlyMap<string, BackendConnector>,
  catalogs: CatalogManager,
  monitor: HealthMonitor,
  events: GatewayEvents,
  live: ReadonlyMap<string, BackendConnector> = connectors,
): void {
  for (const c of connectors.values()) {
    // Per-user backends are discovered with each user's credentials (user views), never here;
    // a shared-credential backend keyed only on passthrough headers is also discovered here.
    const shared = !(c instanceof PerUserConnector) || c.sharedServes;
    // A connector retired by a config reload may still report while it closes: not about its successor.
    const current = () => live.get(c.name) === c;
    c.subscribe({
      onReady: (conn) => {
        if (!current()) return;
        if (shared) void catalogs.refresh(conn);
        void monitor.reconnected(conn.name);
      },
      onDown: (conn) => {
        if (current()) monitor.connectionLost(conn.name);
      },
      onListChanged: (conn, kind) => {
        if (shared && current()) void catalogs.refresh(conn, kind);
      },
      onNotification: (_conn, n) => {
        if (!current()) return;
        const uri = n.params?.['uri'];
        if (n.method === 'notifications/resources/updated' && typeof uri === 'string') events.emit('resourceUpdated', uri, n.params ?? {});
      },
    });
  }
}
