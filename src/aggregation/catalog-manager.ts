// Keeps the catalog live: discovers a backend when it connects or says list_changed, drops it
// when it goes down, rebuilds the snapshot and reports which lists changed. Only real changes
// are reported, so a flapping or chatty backend cannot cause a list_changed storm (envoy#1924).
import type { AggregationConfig } from '../config/types.js';
import type { BackendConnector, ListKind } from '../backends/connector.js';
import { channels, publish, type CatalogEvent, type WarningEvent } from '../observability/channels.js';
import { buildCatalog, type Catalog, type CatalogInput } from './catalog.js';
import type { NameProblem } from './conflicts.js';
import { discover, emptyInventory, type BackendInventory } from './discovery.js';
import { describeError } from '../backends/errors.js';

export type ChangeListener = (kinds: ListKind[], catalog: Catalog) => void;

export class CatalogManager {
  #connectors: readonly BackendConnector[];
  #agg: AggregationConfig;
  #inventories = new Map<string, BackendInventory>();
  #pending = new Map<string, Promise<void>>();
  #catalog: Catalog;
  #full: Catalog;
  #problems: NameProblem[] = [];
  #listeners = new Set<ChangeListener>();
  #hidden = new Set<string>();

  #discoveryTimeoutMs: (backend: string) => number | undefined;

  /** Discovery of a backend is bounded by its connect timeout, so a hanging list never blocks start. */
  constructor(
    connectors: readonly BackendConnector[],
    agg: AggregationConfig,
    discoveryTimeoutMs: (backend: string) => number | undefined = () => undefined,
  ) {
    this.#connectors = connectors;
    this.#discoveryTimeoutMs = discoveryTimeoutMs;
    this.#agg = agg;
    this.#catalog = buildCatalog(0, [], agg).catalog;
    this.#full = this.#catalog;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }
  /** Including hidden backends: tells "unavailable right now" apart from "no such name". */
  get fullCatalog(): Catalog {
    return this.#full;
  }
  get problems(): readonly NameProblem[] {
    return this.#problems;
  }
  inventory(backend: string): BackendInventory | undefined {
    return this.#inventories.get(backend);
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** (Re)discover one backend, then rebuild. Calls for the same backend are serialized. */
  refresh(connector: BackendConnector): Promise<void> {
    const prev = this.#pending.get(connector.name) ?? Promise.resolve();
    const next = prev
      .then(() => this.#discover(connector))
      .finally(() => {
        if (this.#pending.get(connector.name) === next) this.#pending.delete(connector.name);
      });
    this.#pending.set(connector.name, next);
    return next;
  }

  /** What the shared catalog is built from (visible backends only): the base of per-user views. */
  inputs(): CatalogInput[] {
    return this.#connectors
      .filter((c) => this.#inventories.has(c.name) && !this.#hidden.has(c.name))
      .map((c) => ({ backend: c.name, inventory: this.#inventories.get(c.name)! }));
  }

  /** Resolves when every discovery started so far has finished. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending.values()]);
  }

  /**
   * Hide or show a backend without forgetting what it offers: the health layer hides unhealthy
   * backends and open circuits, and shows them again when they recover.
   */
  setHidden(backend: string, hidden: boolean): void {
    if (hidden === this.#hidden.has(backend)) return;
    if (hidden) this.#hidden.add(backend);
    else this.#hidden.delete(backend);
    this.#rebuild();
  }

  async #discover(connector: BackendConnector): Promise<void> {
    if (connector.state !== 'ready') return;
    try {
      this.#inventories.set(connector.name, await discover(connector, this.#discoveryTimeoutMs(connector.name)));
    } catch (err) {
      publish<WarningEvent>(channels.warning, { source: connector.name, message: `capability discovery failed: ${describeError(err)}` });
      if (!this.#inventories.has(connector.name)) this.#inventories.set(connector.name, emptyInventory);
    }
    this.#rebuild();
  }

  #rebuild(): void {
    const all: CatalogInput[] = this.#connectors
      .filter((c) => this.#inventories.has(c.name))
      .map((c) => ({ backend: c.name, inventory: this.#inventories.get(c.name)! }));
    const inputs = all.filter((i) => !this.#hidden.has(i.backend));
    const prev = this.#catalog;
    const { catalog, problems } = buildCatalog(prev.version + 1, inputs, this.#agg);
    this.#full = inputs.length === all.length ? catalog : buildCatalog(0, all, this.#agg).catalog;
    const changed = changedKinds(prev, catalog);
    this.#problems = problems;
    if (changed.length === 0 && prev.backends.join() === catalog.backends.join()) return;
    this.#catalog = catalog;
    publish<CatalogEvent>(channels.catalog, {
      version: catalog.version,
      tools: catalog.tools.length,
      prompts: catalog.prompts.length,
      resources: catalog.resources.length,
      templates: catalog.templates.length,
      changed,
      warnings: problems.map((p) => `${p.severity}: ${p.message}`),
    });
    if (changed.length > 0) for (const l of this.#listeners) l(changed, catalog);
  }
}

function changedKinds(a: Catalog, b: Catalog): ListKind[] {
  const kinds: ListKind[] = [];
  if (JSON.stringify(a.tools) !== JSON.stringify(b.tools)) kinds.push('tools');
  if (JSON.stringify(a.prompts) !== JSON.stringify(b.prompts)) kinds.push('prompts');
  if (JSON.stringify(a.resources) !== JSON.stringify(b.resources) || JSON.stringify(a.templates) !== JSON.stringify(b.templates))
    kinds.push('resources');
  return kinds;
}
