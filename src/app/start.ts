// Building and starting a gateway, bottom-up, inside an AsyncDisposableStack: every part that
// holds a resource is registered the moment it exists, so a failure anywhere during start closes
// exactly what had started (no leaked child process, port or timer). Order matters and is the
// point of this file: everything that can refuse the config (policies) comes first, the port is
// bound before any backend is spawned (a busy port fails at once), and backends start last.
import type { Redis } from 'ioredis';
import { CatalogManager } from '../aggregation/catalog-manager.js';
import type { NameProblem } from '../aggregation/conflicts.js';
import type { BackendConnector } from '../backends/connector.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import type { RuntimeConfig } from '../config/types.js';
import { DEFAULTS } from '../config/defaults.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { StatusReport } from '../health/types.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { Authorizer } from '../routing/middleware/authorize.js';
import { Dispatcher } from '../routing/dispatcher.js';
import { Subscriptions } from '../routing/subscriptions.js';
import { unavailableError } from '../health/unavailable.js';
import type { AsyncDisposableStack } from './disposable-stack.js';
import { ChangeCoalescer } from './coalescer.js';
import { createBackends } from './connectors.js';
import { GatewayEvents } from './events.js';
import { createMonitor, isVisible } from './health.js';
import { createCore } from './services.js';
import { LiveRouting } from './live-routing.js';
import { wireBackends } from './wiring.js';
import type { FeatureDeps } from './features.js';
import { LiveFeatures } from './live-features.js';
import { openSharedRedis } from './session-storage.js';
import { VERSION } from './version.js';
import type { GatewayCore } from '../edge/core.js';

/** A flapping backend announces its list changes at most once a second. */
const LIST_CHANGED_WINDOW_MS = 1000;

export interface Parts {
  events: GatewayEvents;
  /** The current features (a reload may rebuild some, live-features.ts). */
  features: LiveFeatures;
  /** What the features were built with (a reload builds with the same parts and the new config). */
  featureDeps: FeatureDeps;
  /** Mutable: a config reload adds, removes and replaces connectors in place (reload-apply.ts). */
  connectors: Map<string, BackendConnector>;
  catalogs: CatalogManager;
  monitor: HealthMonitor;
  core: GatewayCore;
  /** The current config and the chain and views built from it (swapped by a reload). */
  routing: LiveRouting;
  /** list_changed, coalesced (per-user backends added by a reload feed it too). */
  coalescer: ChangeCoalescer;
  /** The shared Redis connection (sessionStorage provider redis). */
  redis?: Redis;
}

/** Everything but the edge and the backends' start: pure construction, each part registered for disposal. */
export async function buildParts(config: RuntimeConfig, stack: AsyncDisposableStack, status: () => StatusReport): Promise<Parts> {
  const authorizer = await loadAuthorizer(config); // an invalid policy fails here, before anything runs
  const redis = openSharedRedis(config, stack); // closes after everything that uses it
  const events = stack.use(new GatewayEvents());
  const built = createBackends(config, { name: config.name, version: VERSION });
  const connectors = new Map([...built].map(([name, b]) => [name, b.connector]));
  stack.defer(() => Promise.all([...connectors.values()].map((c) => c.close())).then(() => undefined));
  const live: { routing?: LiveRouting } = {}; // the connect timeouts follow reloads
  const connectTimeout = (name: string) => (live.routing?.config ?? config).backends.find((b) => b.name === name)?.connectTimeoutMs;
  const catalogs = stack.use(new CatalogManager([...connectors.values()], config.aggregation, connectTimeout));
  const coalescer = stack.use(new ChangeCoalescer(LIST_CHANGED_WINDOW_MS, (kinds) => events.emit('listChanged', kinds)));
  catalogs.onChange((kinds) => coalescer.push(kinds));
  const monitor = stack.use(
    createMonitor(config, built, (change) => {
      catalogs.setHidden(change.backend, !isVisible(change.to));
      events.emit('health', change);
    }),
  );
  for (const c of connectors.values()) watchUsers(c, coalescer);
  wireBackends(connectors, catalogs, monitor, events);
  const registry = {
    forCaller: (backend: string, principal: Parameters<PerUserConnector['connectionFor']>[0]) => {
      const c = connectors.get(backend);
      return c instanceof PerUserConnector ? c.connectionFor(principal) : c;
    },
  };
  const featureDeps: FeatureDeps = { config, catalogs, connectors, monitor, events, status, ...(redis ? { redis } : {}) };
  const features = await LiveFeatures.build(featureDeps, stack);
  const routing = (live.routing = new LiveRouting(config, authorizer, {
    catalogs,
    connectors,
    monitor,
    events,
    registry,
    features: () => features.parts(),
  }));
  const subscriptions = new Subscriptions((backend) => connectors.get(backend));
  const dispatcher = new Dispatcher({
    views: routing.views,
    chain: routing.chain,
    pageSize: (era) => config.server.pageSize ?? (era === '2026-07-28' ? DEFAULTS.modernPageSize : undefined),
    subscriptions,
    connectors: () => [...connectors.values()],
    unavailable: (backend, what) => unavailableError(backend, monitor.get(backend), what),
  });
  const core = createCore(config, connectors, dispatcher, subscriptions);
  return { events, connectors, catalogs, monitor, features, featureDeps, core, routing, coalescer, ...(redis ? { redis } : {}) };
}

/** A per-user backend's users come and go: their views are re-listed. */
export function watchUsers(c: BackendConnector, coalescer: ChangeCoalescer): void {
  if (c instanceof PerUserConnector) c.onUserChange(() => coalescer.push(['tools', 'prompts', 'resources']));
}

/** How long start waits for the first health probes before serving anyway. */
const FIRST_PROBE_WAIT_MS = 1000;

/** Spawn and connect every backend (one that is down is reported and retried; the rest serve). */
export async function startBackends(parts: Parts): Promise<void> {
  const { connectors, catalogs, monitor } = parts;
  for (const c of connectors.values()) c.start();
  await Promise.all([...connectors.values()].map((c) => c.firstAttempt()));
  await catalogs.settled();
  assertNoConflicts(catalogs.problems);
  for (const f of parts.features.list) await f.start?.();
  monitor.start();
  // Healthy backends answer their first probe in milliseconds; a hanging one must not hold up
  // start (its probe times out later and /status says Pending until then).
  await Promise.race([monitor.settled(), new Promise((r) => setTimeout(r, FIRST_PROBE_WAIT_MS).unref())]);
}

export async function loadAuthorizer(config: RuntimeConfig): Promise<Authorizer | undefined> {
  if (!config.authz) return undefined;
  // Loaded only when policies are configured: the Cedar engine is a WebAssembly module.
  const { CedarAuthorizer } = await import('../auth/authz/cedar.js');
  return new CedarAuthorizer({ policies: config.authz.policies, entitiesJson: config.authz.entitiesJson, gatewayName: config.name });
}

/** An unresolved conflict at start is a configuration error naming the backends involved. */
function assertNoConflicts(problems: readonly NameProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  throw new VmcpError(ErrorCodes.NAME_CONFLICT, `Unresolved name conflicts:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, {
    conflicts: errors.map((e) => ({ name: e.name, backends: e.backends })),
  });
}
