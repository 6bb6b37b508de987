// Building the gateway's parts from the config: connectors (with outgoing auth), the health
// monitor, the catalog and their wiring. Nothing is started here (Gateway.start does that).
import type { RuntimeConfig } from '../config/types.js';
import type { BackendConnector, ListKind } from '../backends/connector.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import { CatalogManager } from '../aggregation/catalog-manager.js';
import type { HealthMonitor } from '../health/monitor.js';
import { createBackends } from './connectors.js';
import { ChangeCoalescer } from './coalescer.js';
import { createMonitor, guard, isVisible } from './health.js';
import { VERSION } from './version.js';

/** A flapping backend announces its list changes at most once a second. */
const LIST_CHANGED_WINDOW_MS = 1000;

export interface Edge {
  listChanged(kinds: readonly ListKind[]): void;
  resourceUpdated(uri: string, params: Record<string, unknown>): void;
}

export interface Parts {
  connectors: BackendConnector[];
  /** The same connectors behind the health wrapper (circuit gate, call outcomes): used for routing. */
  guarded: BackendConnector[];
  catalogs: CatalogManager;
  monitor: HealthMonitor;
  coalescer: ChangeCoalescer;
  /** Called after every health change (the status reporter registers here). */
  healthHooks: (() => void)[];
}

/** Build and wire every part; nothing is started yet. */
export function assemble(config: RuntimeConfig, edges: Edge[]): Parts {
  const built = createBackends(config, { name: config.name, version: VERSION });
  const connectors = built.map((b) => b.connector);
  const connectTimeout = new Map(config.backends.map((b) => [b.name, b.connectTimeoutMs]));
  const catalogs = new CatalogManager(connectors, config.aggregation, (name) => connectTimeout.get(name));
  const coalescer = new ChangeCoalescer(LIST_CHANGED_WINDOW_MS, (kinds) => edges.forEach((e) => e.listChanged(kinds)));
  catalogs.onChange((kinds) => coalescer.push(kinds));
  const healthHooks: (() => void)[] = [];
  const monitor = createMonitor(config, built, ({ backend, to }) => {
    catalogs.setHidden(backend, !isVisible(to));
    for (const hook of healthHooks) hook();
  });
  for (const c of connectors) {
    c.subscribe({
      onReady: (conn) => {
        // Per-user backends are discovered with each user's credentials (user views), never here.
        if (!(c instanceof PerUserConnector)) void catalogs.refresh(conn);
        void monitor.probeNow(conn.name);
      },
      onDown: (conn) => monitor.connectionLost(conn.name),
      onListChanged: (conn) => {
        if (!(c instanceof PerUserConnector)) void catalogs.refresh(conn);
      },
      onNotification: (_conn, n) => {
        const uri = n.params?.['uri'];
        if (n.method === 'notifications/resources/updated' && typeof uri === 'string') {
          edges.forEach((e) => e.resourceUpdated(uri, n.params ?? {}));
        }
      },
    });
  }
  return { connectors, guarded: guard(connectors, monitor), catalogs, monitor, coalescer, healthHooks };
}

export async function closeParts(parts: {
  connectors: readonly BackendConnector[];
  monitor: HealthMonitor;
  coalescer: ChangeCoalescer;
}): Promise<void> {
  parts.monitor.close();
  parts.coalescer.close();
  await Promise.all(parts.connectors.map((c) => c.close()));
}
