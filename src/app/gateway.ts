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

interface Edge {
  listChanged(kinds: readonly ListKind[]): void;
  resourceUpdated(uri: string, params: Record<string, unknown>): void;
}

export class Gateway implements AsyncDisposable {
  readonly config: RuntimeConfig;
  readonly connectors: readonly BackendConnector[];
  readonly url: string | undefined;
  #catalogs: CatalogManager;
  #http: HttpEdge | undefined;
  #stdio: StdioEndpoint | undefined;
  #store: SessionStore;
  #closed: Promise<void> | undefined;

  private constructor(config: RuntimeConfig, parts: { connectors: BackendConnector[]; catalogs: CatalogManager; store: SessionStore; http?: HttpEdge; stdio?: StdioEndpoint; url?: string }) {
    this.config = config;
    this.connectors = parts.connectors;
    this.#catalogs = parts.catalogs;
    this.#store = parts.store;
    this.#http = parts.http;
    this.#stdio = parts.stdio;
    this.url = parts.url;
  }

  /** Connect every backend (a backend that is down is reported and retried; the rest serve), then listen. */
  static async start(config: RuntimeConfig, opts: GatewayStartOptions = {}): Promise<Gateway> {
    const clientInfo = { name: config.name, version: VERSION };
    const connectors = config.backends.map((b) => createConnector(b, clientInfo));
    const connectTimeout = new Map(config.backends.map((b) => [b.name, b.connectTimeoutMs]));
    const catalogs = new CatalogManager(connectors, config.aggregation, (name) => connectTimeout.get(name));
    const edges: Edge[] = [];
    wireBackends(connectors, catalogs, edges);
    try {
      for (const c of connectors) c.start();
      await Promise.all(connectors.map((c) => c.firstAttempt()));
      await catalogs.settled();
      assertNoConflicts(catalogs.problems);
    } catch (err) {
      await Promise.all(connectors.map((c) => c.close()));
      throw err;
    }
    const core = createCore(config, connectors, catalogs);
    let legacy: LegacyEndpoint | undefined;
    const store = new InMemorySessionStore({ ttlMs: config.server.sessionTtlMs, onExpire: (id) => void legacy?.expire(id) });
    if (opts.stdio) {
      const stdio = new StdioEndpoint(core);
      edges.push(stdio);
      await stdio.start();
      return new Gateway(config, { connectors, catalogs, store, stdio });
    }
    legacy = new LegacyEndpoint(core, store);
    const modern = new ModernEndpoint(core, config.server.maxRequestBodyBytes);
    const http = new HttpEdge({ ...config.server, legacy, modern });
    edges.push(http);
    const url = await http.listen().catch(async (err: unknown) => {
      await Promise.all(connectors.map((c) => c.close()));
      throw err;
    });
    return new Gateway(config, { connectors, catalogs, store, http, url });
  }

  get catalog(): Catalog { return this.#catalogs.catalog; }
  get problems(): readonly NameProblem[] { return this.#catalogs.problems; }
  /** Resolves when a stdio client disconnects (never for HTTP). */
  get stdioDone(): Promise<void> | undefined { return this.#stdio?.done; }

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
        await Promise.all(this.connectors.map((c) => c.close()));
        await this.#store.close();
      }
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> { return this.close(); }
}

function wireBackends(connectors: readonly BackendConnector[], catalogs: CatalogManager, edges: Edge[]): void {
  catalogs.onChange((kinds) => edges.forEach((e) => e.listChanged(kinds)));
  for (const c of connectors) {
    c.subscribe({
      onReady: (conn) => void catalogs.refresh(conn),
      onDown: (conn) => catalogs.drop(conn.name),
      onListChanged: (conn) => void catalogs.refresh(conn),
      onNotification: (_conn, n) => {
        const uri = n.params?.['uri'];
        if (n.method === 'notifications/resources/updated' && typeof uri === 'string') {
          edges.forEach((e) => e.resourceUpdated(uri, n.params ?? {}));
        }
      },
    });
  }
}

function createCore(config: RuntimeConfig, connectors: readonly BackendConnector[], catalogs: CatalogManager): GatewayCore {
  const router = new Router(() => catalogs.catalog, new Map(connectors.map((c) => [c.name, c])));
  return {
    serverInfo: { name: config.name, version: VERSION, title: `vmcp: ${config.name}` },
    handlers: createHandlers({ router, catalog: () => catalogs.catalog }),
    capabilities: () => unionCapabilities(connectors),
    instructions: () => mergeInstructions(connectors),
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
