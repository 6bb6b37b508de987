// Wiring of the health layer: a monitor over the connectors, the chain's circuit gate, and the rule that decides what the catalog shows (house rule 2: only app/ wires these).
import type { BackendConfig, RuntimeConfig } from '../config/types.js';
import type { BackendConnector } from '../backends/connector.js';
import { createProbe } from '../health/probe.js';
import { HealthMonitor, type HealthChange, type MonitoredBackend } from '../health/monitor.js';
import { unavailableError } from '../health/unavailable.js';
import type { HealthGate } from '../routing/middleware/circuit-gate.js';
import type { BackendHealth } from '../health/types.js';
import type { BuiltBackend } from './connectors.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import { buildBackendsHealth, type BackendsHealthReport } from '../health/backends-health.js';

/** Unauthenticated and degraded backends stay in the catalog; unhealthy ones and open circuits leave it. */
export function isVisible(h: BackendHealth): boolean {
  return h.state !== 'unhealthy' && h.circuit !== 'open';
}

/** How a backend authenticates, as shown in /status: the outgoing auth strategy. */
export function authTypeOf(config: RuntimeConfig, b: BackendConfig): string {
  return config.outgoingAuth[b.name]?.type ?? 'unauthenticated';
}

export function createMonitor(
  config: RuntimeConfig,
  backends: ReadonlyMap<string, BuiltBackend>,
  onChange: (c: HealthChange) => void,
): HealthMonitor {
  return new HealthMonitor({
    breaker: config.circuitBreaker,
    onChange,
    backends: config.backends.map((b) => monitoredBackend(b, backends.get(b.name)!)),
  });
}

/** What the monitor needs of one backend (also for a backend added by a config reload). */
export function monitoredBackend(b: BackendConfig, built: BuiltBackend): MonitoredBackend {
  return {
    name: b.name,
    health: b.health,
    // A 401 to a probe of a per-user backend is expected (probes carry no user's credentials).
    auth: built.auth.perUser ? 'per-user' : 'unconfigured',
    probe: createProbe(sharedOf(built.connector), built.probeTransport),
  };
}

/** Probes and discovery without a user go over a per-user backend's shared connection. */
export function sharedOf(c: BackendConnector): BackendConnector {
  return c instanceof PerUserConnector ? c.shared : c;
}

/** The chain's circuit gate, backed by the monitor. */
export function healthGate(monitor: HealthMonitor): HealthGate {
  return {
    allow: (backend) => monitor.allow(backend),
    recordCall: (backend, error) => monitor.recordCall(backend, error),
    unavailable: (backend, what) => unavailableError(backend, monitor.get(backend), what),
  };
}

/** GET /api/backends/health (ToolHive's shape): monitoring is on when any backend is probed periodically. */
export function backendsHealth(
  config: RuntimeConfig,
  monitor: HealthMonitor,
  connectors: ReadonlyMap<string, BackendConnector>,
): BackendsHealthReport {
  return buildBackendsHealth({
    monitoring: config.backends.some((b) => b.health.intervalMs > 0),
    health: (name) => monitor.get(name),
    backends: config.backends.map((b) => {
      const rev = connectors.get(b.name)?.info?.protocolVersion;
      return rev ? { name: b.name, mcpRevision: rev } : { name: b.name };
    }),
  });
}
