// The composition root's public face: Gateway.start builds every part bottom-up inside an
// AsyncDisposableStack (start.ts), binds the port, then starts the backends; close() disposes
// everything in reverse order. A failed start leaves nothing running.
import type { RuntimeConfig } from '../config/types.js';
import type { BackendConnector, BackendState } from '../backends/connector.js';
import type { Catalog } from '../aggregation/catalog.js';
import type { NameProblem } from '../aggregation/conflicts.js';
import { HttpEdge } from '../edge/http-server.js';
import { LegacyEndpoint } from '../edge/legacy/endpoint.js';
import { ModernEndpoint } from '../edge/modern-endpoint.js';
import { StdioEndpoint } from '../edge/stdio-endpoint.js';
import { statusRoutes } from '../edge/status-routes.js';
import type { HealthMonitor } from '../health/monitor.js';
import { buildStatusReport } from '../health/report.js';
import type { StatusReport } from '../health/types.js';
import { createAuthenticator } from '../auth/incoming/index.js';
import { AsyncDisposableStack } from './disposable-stack.js';
import { authTypeOf, backendsHealth } from './health.js';
import { routesOf, statusNotesOf } from './features.js';
import { createSessionState } from './session-storage.js';
import { buildParts, startBackends, type Parts } from './start.js';
import { StatusReporter } from './status-reporter.js';
import { VERSION } from './version.js';
import { applyReload } from './reload-apply.js';
import type { ConfigDiff } from './reload-diff.js';

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

interface Edges {
  url?: string;
  stdio?: StdioEndpoint;
}

export class Gateway implements AsyncDisposable {
  readonly url: string | undefined;
  readonly #parts: Parts;
  readonly #stdio: StdioEndpoint | undefined;
  readonly #stack: AsyncDisposableStack;
  #closed: Promise<void> | undefined;
  #reloading: Promise<unknown> = Promise.resolve();

  private constructor(parts: Parts, edges: Edges, stack: AsyncDisposableStack) {
    this.#parts = parts;
    this.url = edges.url;
    this.#stdio = edges.stdio;
    this.#stack = stack;
  }

  /** Build everything, bind the port, connect every backend (one that is down is retried), serve. */
  static async start(config: RuntimeConfig, opts: GatewayStartOptions = {}): Promise<Gateway> {
    const stack = new AsyncDisposableStack();
    try {
      let built: Parts | undefined;
      const status = () => {
        if (!built) throw new Error('the status report is not available before the gateway is built');
        return report(built.routing.config, built);
      };
      const parts = (built = await buildParts(config, stack, status));
      const edges = opts.stdio
        ? { stdio: stack.use(new StdioEndpoint(parts.core, parts.events)) }
        : { url: await listen(config, parts, stack, status) };
      await startBackends(parts);
      const reporter = stack.use(new StatusReporter(status, config.statusReportingIntervalMs));
      parts.events.on('health', () => reporter.check());
      reporter.check();
      await edges.stdio?.start();
      return new Gateway(parts, edges, stack.move());
    } catch (err) {
      await stack.disposeAsync().catch(() => undefined);
      throw err;
    }
  }

  /** The config being served (a reload replaces it). */
  get config(): RuntimeConfig {
    return this.#parts.routing.config;
  }

  /**
   * Apply a validated config without a restart (reload-apply.ts): only added, removed and changed
   * backends are touched; sessions and calls to unchanged backends go on. One reload at a time;
   * a refused one (e.g. an invalid policy) changes nothing.
   */
  reload(next: RuntimeConfig): Promise<ConfigDiff> {
    const run = this.#reloading.then(() => {
      if (this.#closed) throw new Error('the gateway is closing');
      return applyReload(this.#parts, next);
    });
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  get connectors(): readonly BackendConnector[] {
    return [...this.#parts.connectors.values()];
  }
  get catalog(): Catalog {
    return this.#parts.catalogs.catalog;
  }
  get problems(): readonly NameProblem[] {
    return this.#parts.catalogs.problems;
  }
  get monitor(): HealthMonitor {
    return this.#parts.monitor;
  }
  /** Resolves when a stdio client disconnects (never for HTTP). */
  get stdioDone(): Promise<void> | undefined {
    return this.#stdio?.done;
  }

  /** GET /status: phase, message, conditions and every backend's health. */
  status(): StatusReport {
    return report(this.#parts.routing.config, this.#parts);
  }

  backends(): BackendSummary[] {
    return this.config.backends.map((b) => {
      const c = this.#parts.connectors.get(b.name)!;
      const inv = this.#parts.catalogs.inventory(b.name);
      return {
        name: b.name,
        transport: b.transport,
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
    this.#closed ??= this.#stack.disposeAsync();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Bind the HTTP edge (before any backend is spawned: a busy port fails at once). */
async function listen(config: RuntimeConfig, parts: Parts, stack: AsyncDisposableStack, status: () => StatusReport): Promise<string> {
  const authenticator = stack.use(createAuthenticator(config));
  const { server } = config;
  const { store, bus, replicaId } = createSessionState(config, stack, parts.redis);
  const legacy = new LegacyEndpoint(parts.core, store, server.limits, bus);
  const modern = new ModernEndpoint(parts.core, server.maxRequestBodyBytes, {}, bus);
  const http = new HttpEdge({
    server,
    legacy,
    modern,
    authenticator,
    routes: new Map([
      ...statusRoutes(status, () => backendsHealth(parts.routing.config, parts.monitor, parts.connectors)),
      ...routesOf(parts.features.list),
    ]),
    events: parts.events,
    replicaId,
    passthroughHeaders: config.passthroughHeaders,
  });
  stack.defer(() => http.close(config.server.shutdownGracePeriodMs));
  return http.listen();
}

function report(config: RuntimeConfig, parts: Parts): StatusReport {
  return buildStatusReport({
    name: config.name,
    version: VERSION,
    ...(config.groupRef === undefined ? {} : { groupRef: config.groupRef }),
    health: (name) => parts.monitor.get(name),
    virtualTools: virtualToolCounts(parts),
    backends: config.backends.map((b) => {
      const inv = parts.catalogs.inventory(b.name);
      const rev = parts.connectors.get(b.name)?.info?.protocolVersion;
      return {
        name: b.name,
        transport: b.transport,
        authType: authTypeOf(config, b),
        ...(rev ? { mcpRevision: rev } : {}),
        degradedThresholdMs: b.health.degradedThresholdMs,
        tools: inv?.tools.length ?? 0,
        resources: inv?.resources.length ?? 0,
        prompts: inv?.prompts.length ?? 0,
        discoveryErrors: Object.fromEntries(parts.catalogs.kindErrors(b.name)),
        ...downReason(parts.connectors.get(b.name)),
        ...statusNotesOf(parts.features.list, b.name),
      };
    }),
  });
}

/** Tools the catalog lists from each of the gateway's own providers (after naming and filters). */
function virtualToolCounts(parts: Parts): Record<string, number> {
  const providers = new Set(parts.features.list.flatMap((f) => f.providers ?? []).map((p) => p.name));
  const counts: Record<string, number> = {};
  const { catalog } = parts.catalogs;
  for (const t of catalog.tools) {
    const backend = catalog.tool(String(t['name']))?.backend;
    if (backend !== undefined && providers.has(backend)) counts[backend] = (counts[backend] ?? 0) + 1;
  }
  return counts;
}

/** Why a backend is not connected, as the start-up table shows it (sanitized by the connector). */
function downReason(c: BackendConnector | undefined): { reason?: string } {
  return c && c.state !== 'ready' && c.lastError ? { reason: c.lastError } : {};
}
