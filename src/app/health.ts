// Wiring of the health layer: a monitor over the raw connectors, guarded connectors for routing,
// and the rule that decides what the catalog shows (house rule 2: only app/ wires these).
import type { BackendConfig, RuntimeConfig } from '../config/types.js';
import type { BackendConnector } from '../backends/connector.js';
import { createProbe } from '../health/probe.js';
import { HealthMonitor, type HealthChange } from '../health/monitor.js';
import { GuardedConnector } from '../health/guarded-connector.js';
import type { BackendHealth } from '../health/types.js';
import { createSseTransport } from '../backends/sse.js';
import { createStreamableHttpTransport } from '../backends/streamable-http.js';

/** Unauthenticated and degraded backends stay in the catalog; unhealthy ones and open circuits leave it. */
export function isVisible(h: BackendHealth): boolean {
  return h.state !== 'unhealthy' && h.circuit !== 'open';
}

/** How a backend authenticates, as shown in /status (outgoing auth strategies come with issue 6). */
export function authTypeOf(b: BackendConfig): string {
  if (b.transport === 'stdio') return 'none';
  return Object.keys(b.headers).some((h) => h.toLowerCase() === 'authorization') ? 'header_injection' : 'unauthenticated';
}

export function createMonitor(config: RuntimeConfig, connectors: readonly BackendConnector[], onChange: (c: HealthChange) => void): HealthMonitor {
  return new HealthMonitor({
    breaker: config.circuitBreaker,
    onChange,
    backends: config.backends.map((b, i) => ({
      name: b.name,
      health: b.health,
      auth: 'unconfigured' as const,
      probe: createProbe(connectors[i]!, b.transport === 'stdio' ? undefined
        : b.transport === 'sse' ? () => createSseTransport(b) : () => createStreamableHttpTransport(b)),
    })),
  });
}

export function guard(connectors: readonly BackendConnector[], monitor: HealthMonitor): BackendConnector[] {
  return connectors.map((c) => new GuardedConnector(c, monitor));
}
