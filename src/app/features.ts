// The seam where optional capabilities plug into a gateway: each is a Feature built from the
// config and the parts it needs, contributing chain middleware (in its place in the one list),
// virtual tools (listed in the catalog under a provider name, run in the gateway), a view
// decorator (e.g. tool search replacing the advertised list) and start/close hooks. A feature
// absent from the config contributes nothing and costs nothing.
import type { Redis } from 'ioredis';
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import type { BackendConnector } from '../backends/connector.js';
import type { RuntimeConfig } from '../config/types.js';
import type { HttpRoute } from '../edge/http-server.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { StatusReport } from '../health/types.js';
import type { CallMiddleware, RequestContext } from '../routing/context.js';
import type { RequestView, VirtualProvider } from '../routing/view.js';
import type { GatewayEvents } from './events.js';

export interface FeatureDeps {
  readonly config: RuntimeConfig;
  readonly catalogs: CatalogManager;
  readonly connectors: ReadonlyMap<string, BackendConnector>;
  readonly monitor: HealthMonitor;
  readonly events: GatewayEvents;
  /** The gateway's status report (callable once the gateway has started, e.g. from a route). */
  readonly status: () => StatusReport;
  /** The gateway's Redis connection when sessionStorage is redis (shared: never close it). */
  readonly redis?: Redis;
}

export interface BackendStatusNote {
  readonly quarantine?: { readonly reason: string; readonly since: string };
}

export interface Feature {
  readonly name: string;
  /** Middleware right after `observe` (metrics, traces, audit see every call, denied ones too). */
  readonly outer?: readonly CallMiddleware[];
  /** Middleware after `authorize`, before the backend gates (rate limits). */
  readonly beforeBackend?: readonly CallMiddleware[];
  /** Tools the gateway implements; their definitions go to `catalogs.setVirtual(provider.name, …)`. */
  readonly providers?: readonly VirtualProvider[];
  /** Changes what a caller's view lists (not what it resolves). */
  readonly view?: (view: RequestView, ctx: RequestContext) => RequestView | Promise<RequestView>;
  /** HTTP routes on the gateway port by exact path (e.g. /metrics, the status page); none may shadow /mcp. */
  readonly routes?: ReadonlyMap<string, HttpRoute>;
  /** Facts a feature adds to a backend's entry in GET /status (e.g. a quarantine by tool pinning). */
  readonly statusOf?: (backend: string) => BackendStatusNote | undefined;
  /** After the backends' first connect round (e.g. refuse a reserved tool name, warm a sandbox). */
  start?(): Promise<void> | void;
  /** A validated config reload that left its own section as it was (a changed section rebuilds the feature, live-features.ts). */
  reload?(config: RuntimeConfig): Promise<void> | void;
  close?(): Promise<void> | void;
}

/** Chain middleware of all features, each in its slot, in feature order. */
export function middlewareOf(features: readonly Feature[]): { outer: CallMiddleware[]; beforeBackend: CallMiddleware[] } {
  return { outer: features.flatMap((f) => f.outer ?? []), beforeBackend: features.flatMap((f) => f.beforeBackend ?? []) };
}

const RESERVED_PATHS = new Set(['/mcp', '/sse', '/messages', '/health', '/ping', '/status', '/readyz']);

/** The features' routes; a path the gateway serves itself, or one two features claim, is a bug caught at start. */
export function routesOf(features: readonly Feature[]): Map<string, HttpRoute> {
  const routes = new Map<string, HttpRoute>();
  for (const f of features) {
    for (const [path, route] of f.routes ?? []) {
      if (RESERVED_PATHS.has(path) || routes.has(path)) throw new Error(`feature ${f.name}: the route ${path} is already served`);
      routes.set(path, route);
    }
  }
  return routes;
}

export function providersOf(features: readonly Feature[]): ReadonlyMap<string, VirtualProvider> {
  return new Map(features.flatMap((f) => f.providers ?? []).map((p) => [p.name, p]));
}

/** What the features add to one backend's status entry. */
export function statusNotesOf(features: readonly Feature[], backend: string): BackendStatusNote {
  return Object.assign({}, ...features.map((f) => f.statusOf?.(backend) ?? {})) as BackendStatusNote;
}

/** The view decorators of all features, applied in feature order. */
export function decorate(features: readonly Feature[]): ((view: RequestView, ctx: RequestContext) => Promise<RequestView>) | undefined {
  const decorators = features.flatMap((f) => (f.view ? [f.view] : []));
  if (decorators.length === 0) return undefined;
  return async (view, ctx) => {
    let v = view;
    for (const d of decorators) v = await d(v, ctx);
    return v;
  };
}
