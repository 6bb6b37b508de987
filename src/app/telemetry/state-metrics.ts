// vmcp's own gauges and counters: read from the gateway's state when Prometheus scrapes (backend
// health and circuit, catalog size: no work per call), or counted from the events and channels
// the domain publishes (sessions, list_changed, refusals at a bound).
import diagnostics from 'node:diagnostics_channel';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CatalogManager } from '../../aggregation/catalog-manager.js';
import type { BackendConnector, BackendState } from '../../backends/connector.js';
import type { HealthMonitor } from '../../health/monitor.js';
import type { CircuitState, HealthState } from '../../health/types.js';
import { featureMetricHandlers } from './feature-metrics.js';
import { pinMetricHandlers } from './pin-metrics.js';
import { channels, type RefusedEvent, type ScriptEvent, type SessionEvent } from '../../observability/channels.js';
import type { GatewayEvents } from '../events.js';

const HEALTH_STATES: readonly HealthState[] = ['healthy', 'degraded', 'unhealthy', 'unauthenticated', 'unknown'];
const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];
const CONNECTION_STATES: readonly BackendState[] = ['idle', 'connecting', 'ready', 'down', 'closed'];
const ERAS: readonly SessionEvent['era'][] = ['legacy', 'modern', 'stdio'];

export interface StateSources {
  readonly backends: readonly string[];
  readonly connectors: ReadonlyMap<string, BackendConnector>;
  readonly monitor: HealthMonitor;
  readonly catalogs: CatalogManager;
  readonly events: GatewayEvents;
}

/** Registers the gauges and subscriptions; the returned function unsubscribes. */
export function stateMetrics(registry: Registry, src: StateSources): () => void {
  const registers = [registry];
  backendGauges(registers, src);
  new Gauge({
    name: 'vmcp_catalog_entries',
    help: 'Entries in the advertised catalog, by kind.',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const c = src.catalogs.catalog;
      for (const kind of ['tools', 'prompts', 'resources', 'templates'] as const) this.set({ kind }, c[kind].length);
    },
  });
  const listChanged = new Counter({
    name: 'vmcp_list_changed_total',
    help: 'list_changed announcements sent to clients, by list.',
    labelNames: ['kind'] as const,
    registers,
  });
  const onListChanged = (kinds: readonly string[]): void => kinds.forEach((kind) => listChanged.inc({ kind }));
  src.events.on('listChanged', onListChanged);
  const unsubscribe = channelMetrics(registers);
  return () => {
    src.events.off('listChanged', onListChanged);
    unsubscribe();
  };
}

function backendGauges(registers: Registry[], src: StateSources): void {
  new Gauge({
    name: 'toolhive_vmcp_backends_discovered',
    help: 'Backends configured in this gateway.',
    registers,
    collect() {
      this.set(src.backends.length);
    },
  });
  new Gauge({
    name: 'vmcp_backend_health',
    help: 'Health of each backend: 1 for its current state, 0 for the others.',
    labelNames: ['target_workload_name', 'state'] as const,
    registers,
    collect() {
      for (const name of src.backends) {
        const now = src.monitor.get(name)?.state ?? 'unknown';
        for (const state of HEALTH_STATES) this.set({ target_workload_name: name, state }, state === now ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'vmcp_backend_connection',
    help: "The gateway's connection to each backend: 1 for its current state (ready, down, ...), 0 for the others.",
    labelNames: ['target_workload_name', 'state'] as const,
    registers,
    collect() {
      for (const name of src.backends) {
        const now = src.connectors.get(name)?.state ?? 'idle';
        for (const state of CONNECTION_STATES) this.set({ target_workload_name: name, state }, state === now ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'vmcp_backend_circuit',
    help: 'Circuit breaker of each backend: 1 for its current state, 0 for the others.',
    labelNames: ['target_workload_name', 'state'] as const,
    registers,
    collect() {
      for (const name of src.backends) {
        const now = src.monitor.get(name)?.circuit ?? 'closed';
        for (const state of CIRCUIT_STATES) this.set({ target_workload_name: name, state }, state === now ? 1 : 0);
      }
    },
  });
}

/** Sessions, refusals and script limits come from the process-wide diagnostics channels. */
function channelMetrics(registers: Registry[]): () => void {
  const live = new Map<SessionEvent['era'], Set<string>>(ERAS.map((era) => [era, new Set()]));
  new Gauge({
    name: 'vmcp_sessions',
    help: 'Live client sessions, by protocol era.',
    labelNames: ['era'] as const,
    registers,
    collect() {
      for (const [era, ids] of live) this.set({ era }, ids.size);
    },
  });
  new Gauge({
    name: 'toolhive_mcp_active_connections',
    help: 'Live client sessions (all eras).',
    registers,
    collect() {
      this.set([...live.values()].reduce((n, ids) => n + ids.size, 0));
    },
  });
  const refused = new Counter({
    name: 'vmcp_refused_total',
    help: 'Requests and connections refused at a configured bound, by bound.',
    labelNames: ['limit'] as const,
    registers,
  });
  const handlers: [diagnostics.Channel, (m: unknown) => void][] = [
    [channels.session, (m) => onSession(live, m as SessionEvent)],
    [channels.refused, (m) => refused.inc({ limit: (m as RefusedEvent).limit })],
    [channels.script, (m) => (m as ScriptEvent).limit !== undefined && refused.inc({ limit: `codeMode.${(m as ScriptEvent).limit}` })],
    ...featureMetricHandlers(registers),
    ...pinMetricHandlers(registers),
  ];
  for (const [ch, fn] of handlers) ch.subscribe(fn);
  return () => handlers.forEach(([ch, fn]) => ch.unsubscribe(fn));
}

function onSession(live: Map<SessionEvent['era'], Set<string>>, e: SessionEvent): void {
  const ids = live.get(e.era);
  if (!ids) return;
  if (e.event === 'created') ids.add(e.sessionId);
  else ids.delete(e.sessionId);
}
