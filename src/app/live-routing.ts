// The parts of a gateway that a config reload replaces whole, behind stable functions: the
// request chain and the view source (both derive from the backends' timeouts, the aggregation
// rules, the Cedar policies and the features). The dispatcher and the edge hold `chain` and `views`, which
// always call the current ones; a call already in the old chain finishes there.
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import type { BackendConnector } from '../backends/connector.js';
import type { RuntimeConfig } from '../config/types.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { CallHandler } from '../routing/context.js';
import type { ConnectorRegistry } from '../routing/middleware/connection.js';
import type { Authorizer } from '../routing/middleware/authorize.js';
import { buildChain } from './chain.js';
import type { GatewayEvents } from './events.js';
import type { FeatureParts } from './live-features.js';
import { createViews, type ViewSource } from './views.js';

export interface RoutingDeps {
  catalogs: CatalogManager;
  connectors: ReadonlyMap<string, BackendConnector>;
  monitor: HealthMonitor;
  events: GatewayEvents;
  registry: ConnectorRegistry;
  /** The features' middleware, providers and view decorator, as they are now (a reload may rebuild features). */
  features: () => FeatureParts;
}

interface Routing {
  config: RuntimeConfig;
  authorizer: Authorizer | undefined;
  chain: CallHandler;
  views: ViewSource;
  disposers: (() => void)[];
}

export class LiveRouting {
  readonly #deps: RoutingDeps;
  #current: Routing;
  /** The current chain (a stable function for the dispatcher). */
  readonly chain: CallHandler = (call) => this.#current.chain(call);
  /** The current view source (a stable function for the dispatcher). */
  readonly views: ViewSource = (ctx) => this.#current.views(ctx);

  constructor(config: RuntimeConfig, authorizer: Authorizer | undefined, deps: RoutingDeps) {
    this.#deps = deps;
    this.#current = this.#build(config, authorizer);
  }

  get config(): RuntimeConfig {
    return this.#current.config;
  }
  get authorizer(): Authorizer | undefined {
    return this.#current.authorizer;
  }

  /** Rebuild the chain and views from a new config (the authorizer is loaded by the caller). */
  swap(config: RuntimeConfig, authorizer: Authorizer | undefined): void {
    const old = this.#current;
    this.#current = this.#build(config, authorizer);
    for (const d of old.disposers) d();
  }

  #build(config: RuntimeConfig, authorizer: Authorizer | undefined): Routing {
    const d = this.#deps;
    const f = d.features();
    const chain = buildChain({ config, monitor: d.monitor, registry: d.registry, ...(authorizer ? { authorizer } : {}), extra: f.extra });
    const disposers: (() => void)[] = [];
    const views = createViews(
      {
        config,
        catalogs: d.catalogs,
        connectors: d.connectors,
        events: d.events,
        virtual: f.virtual,
        ...(authorizer ? { authorizer } : {}),
        ...(f.decorate ? { decorate: f.decorate } : {}),
      },
      disposers,
    );
    return { config, authorizer, chain, views, disposers };
  }
}
