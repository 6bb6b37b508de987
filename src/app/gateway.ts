// The composition root: assembles the parts (assemble.ts), the core (core.ts) and the edge from a
// frozen RuntimeConfig, starts them, and tears all of it down in close().
import type { RuntimeConfig } from '../config/types.js';
import type { BackendConnector, BackendState } from '../backends/connector.js';
import { CatalogManager } from '../aggregation/catalog-manager.js';
import type { Catalog } from '../aggregation/catalog.js';
import type { NameProblem } from '../aggregation/conflicts.js';
import { HttpEdge } from '../edge/http-server.js';
import { LegacyEndpoint } from '../edge/legacy-endpoint.js';
import { ModernEndpoint } from '../edge/modern-endpoint.js';
import { StdioEndpoint } from '../edge/stdio-endpoint.js';
import { InMemorySessionStore, type SessionStore } from '../edge/sessions.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { assemble, closeParts, type Edge, type Parts } from './assemble.js';
import { createCore } from './core.js';
import { VERSION } from './version.js';
import { ChangeCoalescer } from './coalescer.js';
import { StatusReporter } from './status-reporter.js';
import { authTypeOf } from './health.js';
import type { HealthMonitor } from '../health/monitor.js';
import { buildStatusReport } from '../health/report.js';
import type { StatusReport } from '../health/types.js';
import { statusRoutes } from '../edge/status-routes.js';
import { createAuthenticator, type Authenticator } from '../auth/incoming/index.js';

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

/** How long start waits for the first health probes before serving anyway. */
const FIRST_PROBE_WAIT_MS = 1000;

export class Gateway implements AsyncDisposable {
  readonly config: RuntimeConfig;
  readonly connectors: readonly BackendConnector[];
  readonly url: string | undefined;
  #catalogs: CatalogManager;
  #monitor: HealthMonitor;
  #authenticator: Authenticator | undefined;
  #coalescer: ChangeCoalescer;
  #reporter: StatusReporter;
  #http: HttpEdge | undefined;
  #stdio: StdioEndpoint | undefined;
  #store: SessionStore;
  #closed: Promise<void> | undefined;

  private constructor(
    config: RuntimeConfig,
    parts: Parts & { store: SessionStore; http?: HttpEdge; stdio?: StdioEndpoint; url?: string; authenticator?: Authenticator },
  ) {
    this.config = config;
    this.connectors = parts.connectors;
    this.#catalogs = parts.catalogs;
    this.#monitor = parts.monitor;
    this.#authenticator = parts.authenticator;
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
    const core = await createCore(config, parts);
    // eslint-disable-next-line prefer-const -- removed by the composition-root rewrite
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
    // eslint-disable-next-line prefer-const -- removed by the composition-root rewrite
    let gateway: Gateway | undefined;
    const authenticator = createAuthenticator(config);
    const http = new HttpEdge({ ...config.server, legacy, modern, authenticator, routes: statusRoutes(() => gateway!.status()) });
    edges.push(http);
    const url = await http.listen().catch(async (err: unknown) => {
      authenticator.close();
      await closeParts(parts);
      throw err;
    });
    gateway = new Gateway(config, { ...parts, store, http, url, authenticator });
    return gateway;
  }

  get catalog(): Catalog {
    return this.#catalogs.catalog;
  }
  get problems(): readonly NameProblem[] {
    return this.#catalogs.problems;
  }
  /** Resolves when a stdio client disconnects (never for HTTP). */
  get stdioDone(): Promise<void> | undefined {
    return this.#stdio?.done;
  }

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
          name: b.name,
          transport: b.transport,
          authType: authTypeOf(this.config, b),
          ...(rev ? { mcpRevision: rev } : {}),
          degradedThresholdMs: b.health.degradedThresholdMs,
          tools: inv?.tools.length ?? 0,
          resources: inv?.resources.length ?? 0,
          prompts: inv?.prompts.length ?? 0,
        };
      }),
    });
  }

  get monitor(): HealthMonitor {
    return this.#monitor;
  }

  backends(): BackendSummary[] {
    return this.connectors.map((c) => {
      const inv = this.#catalogs.inventory(c.name);
      return {
        name: c.name,
        transport: c.transport,
        state: c.state,
        tools: inv?.tools.length ?? 0,
        resources: inv?.resources.length ?? 0,
        prompts: inv?.prompts.length ?? 0,
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
        this.#authenticator?.close();
        await closeParts({ connectors: this.connectors, monitor: this.#monitor, coalescer: this.#coalescer });
        await this.#store.close();
      }
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** An unresolved conflict at start is a configuration error naming the backends involved. */
function assertNoConflicts(problems: readonly NameProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  throw new VmcpError(ErrorCodes.NAME_CONFLICT, `Unresolved name conflicts:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, {
    conflicts: errors.map((e) => ({ name: e.name, backends: e.backends })),
  });
}
