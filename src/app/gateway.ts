// The composition root: builds connectors, the catalog manager, the router and the edge from a
// frozen RuntimeConfig, and tears all of it down in close().
import type { RuntimeConfig } from '../config/types.js';
import type { BackendConnector, BackendState, ListKind } from '../backends/connector.js';
import { CatalogManager } from '../aggregation/catalog-manager.js';
import type { Catalog } from '../aggregation/catalog.js';
import type { NameProblem } from '../aggregation/conflicts.js';
import { Router } from '../routing/router.js';
import { createHandlers } from '../routing/dispatch.js';
import type { GatewayCore } from '../edge/core.js';
import { HttpEdge } from '../edge/http-server.js';
import { LegacyEndpoint } from '../edge/legacy-endpoint.js';
import { ModernEndpoint } from '../edge/modern-endpoint.js';
import { StdioEndpoint } from '../edge/stdio-endpoint.js';
import { InMemorySessionStore, type SessionStore } from '../edge/sessions.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { createConnector } from './connectors.js';
import { mergeInstructions, unionCapabilities } from './capabilities.js';
import { VERSION } from './version.js';
import { ChangeCoalescer } from './coalescer.js';
import { StatusReporter } from './status-reporter.js';
import { authTypeOf, createMonitor, guard, isVisible } from './health.js';
import type { HealthMonitor } from '../health/monitor.js';
import { buildStatusReport } from '../health/report.js';
import { unavailableError } from '../health/unavailable.js';
import type { StatusReport } from '../health/types.js';
import { statusRoutes } from '../edge/status-routes.js';

export interface GatewayStartOptions {
  /** Serve one client over stdin/stdout instead of HTTP. */
  stdio?: boolean;
}

export interface BackendSummary {
  name: string;
  transport: string;
  state: BackendState;
  tools: number;
  resources: number;
  prompts: number;
  error?: string;
}

/** A flapping backend announces its list changes at most once a second. */
const LIST_CHANGED_WINDOW_MS = 1000;
/** How long start waits for the first health probes before serving anyway. */
const FIRST_PROBE_WAIT_MS = 1000;

interface Edge {
  listChanged(kinds: readonly ListKind[]): void;
  resourceUpdated(uri: string, params: Record<string, unknown>): void;
}

export class Gateway implements AsyncDisposable {
  readonly config: RuntimeConfig;
  readonly connectors: readonly BackendConnector[];
  readonly url: string | undefined;
  #catalogs: CatalogManager;
  #monitor: HealthMonitor;
  #coalescer: ChangeCoalescer;
  #reporter: StatusReporter;
  #http: HttpEdge | undefined;
  #stdio: StdioEndpoint | undefined;
  #store: SessionStore;
  #closed: Promise<void> | undefined;

  private constructor(config: RuntimeConfig, parts: Parts & { store: SessionStore; http?: HttpEdge; stdio?: StdioEndpoint; url?: string }) {
    this.config = config;
    this.connectors = parts.connectors;
    this.#catalogs = parts.catalogs;
    this.#monitor = parts.monitor;
    this.#coalescer = parts.coalescer;
    this.#reporter = new StatusReporter(() => this.status(), config.statusReportingIntervalMs);
    parts.healthHooks.push(() => this.#reporter.check());
    this.#reporter.check();
    this.#store = parts.store;
    this.#http = parts.http;
    this.#stdio = parts.stdio;
    this.url = parts.url;
  }

  /** Connect every backend (a backend that is down is reported and retried; the rest serve), then listen. */
  static async start(config: RuntimeConfig, opts: GatewayStartOptions = {}): Promise<Gateway> {
    const edges: Edge[] = [];
    const parts = assemble(config, edges);
    const { connectors, catalogs, monitor } = parts;
    try {
      for (const c of connectors) c.start();
      await Promise.all(connectors.map((c) => c.firstAttempt()));
      await catalogs.settled();
      assertNoConflicts(catalogs.problems);
      monitor.start();
      // Healthy backends answer their first probe in milliseconds; a hanging one must not hold up
      // start (its probe times out later and /status says Pending until then).
      await Promise.race([monitor.settled(), new Promise((r) => setTimeout(r, FIRST_PROBE_WAIT_MS).unref())]);
    } catch (err) {
      await closeParts(parts);
      throw err;
    }
    const core = createCore(config, parts);
    let legacy: LegacyEndpoint | undefined;
    const store = new InMemorySessionStore({ ttlMs: config.server.sessionTtlMs, onExpire: (id) => void legacy?.expire(id) });
    if (opts.stdio) {
      const stdio = new StdioEndpoint(core);
      edges.push(stdio);
      await stdio.start();
      return new Gateway(config, { ...parts, store, stdio });
    }
    legacy = new LegacyEndpoint(core, store);
    const modern = new ModernEndpoint(core, config.server.maxRequestBodyBytes);
    let gateway: Gateway | undefined;
    const http = new HttpEdge({ ...config.server, legacy, modern, routes: statusRoutes(() => gateway!.status()) });
    edges.push(http);
    const url = await http.listen().catch(async (err: unknown) => {
      await closeParts(parts);
      throw err;
    });
    gateway = new Gateway(config, { ...parts, store, http, url });
    return gateway;
  }

  get catalog(): Catalog { return this.#catalogs.catalog; }
  get problems(): readonly NameProblem[] { return this.#catalogs.problems; }
  /** Resolves when a stdio client disconnects (never for HTTP). */
  get stdioDone(): Promise<void> | undefined { return this.#stdio?.done; }

  /** GET /status: phase, message, conditions and every backend's health. */
  status(): StatusReport {
    return buildStatusReport({
      name: this.config.name,
      version: VERSION,
      health: (name) => this.#monitor.get(name),
      backends: this.config.backends.map((b, i) => {
        const inv = this.#catalogs.inventory(b.name);
        const rev = this.connectors[i]?.info?.protocolVersion;
        return {
          name: b.name, transport: b.transport, authType: authTypeOf(b), ...(rev ? { mcpRevision: rev } : {}), degradedThresholdMs: b.health.degradedThresholdMs,
          tools: inv?.tools.length ?? 0, resources: inv?.resources.length ?? 0, prompts: inv?.prompts.length ?? 0,
        };
      }),
    });
  }

  get monitor(): HealthMonitor { return this.#monitor; }

  backends(): BackendSummary[] {
    return this.connectors.map((c) => {
      const inv = this.#catalogs.inventory(c.name);
      return {
        name: c.name, transport: c.transport, state: c.state,
        tools: inv?.tools.length ?? 0, resources: inv?.resources.length ?? 0, prompts: inv?.prompts.length ?? 0,
        ...(c.lastError && c.state !== 'ready' ? { error: c.lastError } : {}),
      };
    });
  }

  /** Graceful and idempotent: in-flight calls finish (bounded), sessions close, children exit. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.#http?.close(this.config.server.shutdownGracePeriodMs);
        await this.#stdio?.close();
      } finally {
        this.#reporter.close();
        await closeParts({ connectors: this.connectors, monitor: this.#monitor, coalescer: this.#coalescer });
        await this.#store.close();
      }
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> { return this.close(); }
}

interface Parts {
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
function assemble(config: RuntimeConfig, edges: Edge[]): Parts {
  const clientInfo = { name: config.name, version: VERSION };
  const connectors = config.backends.map((b) => createConnector(b, clientInfo));
  const connectTimeout = new Map(config.backends.map((b) => [b.name, b.connectTimeoutMs]));
  const catalogs = new CatalogManager(connectors, config.aggregation, (name) => connectTimeout.get(name));
  const coalescer = new ChangeCoalescer(LIST_CHANGED_WINDOW_MS, (kinds) => edges.forEach((e) => e.listChanged(kinds)));
  catalogs.onChange((kinds) => coalescer.push(kinds));
  const healthHooks: (() => void)[] = [];
  const monitor = createMonitor(config, connectors, ({ backend, to }) => {
    catalogs.setHidden(backend, !isVisible(to));
    for (const hook of healthHooks) hook();
  });
  for (const c of connectors) {
    c.subscribe({
      onReady: (conn) => {
        void catalogs.refresh(conn);
        void monitor.probeNow(conn.name);
      },
      onDown: (conn) => monitor.connectionLost(conn.name),
      onListChanged: (conn) => void catalogs.refresh(conn),
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

async function closeParts(parts: { connectors: readonly BackendConnector[]; monitor: HealthMonitor; coalescer: ChangeCoalescer }): Promise<void> {
  parts.monitor.close();
  parts.coalescer.close();
  await Promise.all(parts.connectors.map((c) => c.close()));
}

function createCore(config: RuntimeConfig, parts: Parts): GatewayCore {
  const { catalogs, guarded, monitor } = parts;
  const router = new Router(() => catalogs.catalog, new Map(guarded.map((c) => [c.name, c])), {
    full: () => catalogs.fullCatalog,
    unavailable: (backend, what) => unavailableError(backend, monitor.get(backend), what),
  });
  return {
    serverInfo: { name: config.name, version: VERSION, title: `vmcp: ${config.name}` },
    handlers: createHandlers({ router, catalog: () => catalogs.catalog }),
    capabilities: () => unionCapabilities(guarded),
    instructions: () => mergeInstructions(guarded),
    onClientNotification: (_session, n) => {
      // Roots changed at the client: tell the backends that ask for roots, so they ask again.
      if (n.method === 'notifications/roots/list_changed') for (const c of guarded) if (c.asksForRoots) void c.notify(n).catch(() => undefined);
    },
  };
}

/** An unresolved conflict at start is a configuration error naming the backends involved. */
function assertNoConflicts(problems: readonly NameProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  throw new VmcpError(ErrorCodes.NAME_CONFLICT, `Unresolved name conflicts:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, {
    conflicts: errors.map((e) => ({ name: e.name, backends: e.backends })),
  });
}
