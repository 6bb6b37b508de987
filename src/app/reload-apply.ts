// Applying a validated config to a running gateway, touching only what changed: removed and
// changed backends leave the monitor, the catalog and the connector map (their connections close;
// calls in flight on them end with the connection), added and changed ones are built, wired,
// started and discovered; the chain and views are rebuilt from the new config (backend timeouts,
// aggregation rules, policies, features), a feature whose section changed is rebuilt
// (live-features.ts) and the others hear the new config. The edge, its sessions and the
// unchanged backends' connections are never touched, so their calls in flight finish. Clients
// get list_changed from the catalog's own change detection.
import type { BackendConnector } from '../backends/connector.js';
import type { RuntimeConfig } from '../config/types.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { createBackends } from './connectors.js';
import type { FeatureCommit } from './live-features.js';
import { monitoredBackend } from './health.js';
import { asRunning, diffConfig, type ConfigDiff } from './reload-diff.js';
import { loadAuthorizer, watchUsers, type Parts } from './start.js';
import { VERSION } from './version.js';
import { wireBackends } from './wiring.js';

export async function applyReload(parts: Parts, loaded: RuntimeConfig): Promise<ConfigDiff> {
  const diff = diffConfig(parts.routing.config, loaded);
  const next = asRunning(parts.routing.config, loaded);
  // What can refuse the config comes first, before anything is touched: an invalid policy or a
  // feature refusing its new section leaves the old config serving.
  const authorizer = diff.live.has('authz') ? await loadAuthorizer(next) : parts.routing.authorizer;
  const commitFeatures = await parts.features.prepare({ ...parts.featureDeps, config: next }, diff.features);
  const fresh = new Set([...diff.backends.added, ...diff.backends.changed]);
  const built = createBackends(
    { ...next, backends: next.backends.filter((b) => fresh.has(b.name)) },
    { name: next.name, version: VERSION },
  );
  const retired = [...diff.backends.removed, ...diff.backends.changed].flatMap((name) => retire(parts, name));
  for (const [name, b] of built) {
    parts.connectors.set(name, b.connector);
    watchUsers(b.connector, parts.coalescer);
    wireBackends(new Map([[name, b.connector]]), parts.catalogs, parts.monitor, parts.events, parts.connectors);
    parts.catalogs.addBackend(b.connector);
  }
  if (diff.live.has('aggregation')) parts.catalogs.setAggregation(next.aggregation);
  const { started, kept } = await commitFeatures();
  // A section whose feature refused to start keeps running as it was, and the config says so.
  const running = kept.length === 0 ? next : keepSections(next, parts.routing.config, kept);
  for (const k of kept)
    publish<WarningEvent>(channels.warning, {
      source: 'config',
      message: `${k.section} was not reloaded, the previous one keeps serving: ${k.reason}`,
    });
  for (const f of parts.features.list) if (!started.includes(f)) await f.reload?.(running);
  parts.routing.swap(running, authorizer);
  for (const b of built.values()) b.connector.start();
  await Promise.all([...retired.map((c) => c.close()), ...[...built.values()].map((b) => b.connector.firstAttempt())]);
  // Probed once their first connect settled, as at start (a probe of an unstarted connector fails).
  for (const b of next.backends) if (fresh.has(b.name)) parts.monitor.add(monitoredBackend(b, built.get(b.name)!));
  await parts.catalogs.settled();
  return kept.length === 0 ? diff : { ...diff, kept };
}

function keepSections(next: RuntimeConfig, from: RuntimeConfig, kept: FeatureCommit['kept']): RuntimeConfig {
  const restored: Record<string, unknown> = {};
  for (const k of kept) restored[k.section] = from[k.section];
  return Object.freeze({ ...next, ...restored }) as RuntimeConfig;
}

/** Out of the monitor, the catalog and the map; the caller closes the connection. */
function retire(parts: Parts, name: string): BackendConnector[] {
  const c = parts.connectors.get(name);
  parts.monitor.remove(name);
  parts.catalogs.removeBackend(name);
  parts.connectors.delete(name);
  return c ? [c] : [];
}
