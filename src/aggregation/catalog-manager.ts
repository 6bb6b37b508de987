// Keeps the catalog live: discovers a backend when it connects or says list_changed, hides it
// while its connection is down or the health layer has it out of service (keeping what it offers),
// rebuilds the snapshot and reports which lists changed. Only real changes are reported, so a flapping or chatty backend cannot cause a
// list_changed storm (envoy#1924). At scale (100 backends × 50 tools) the costs that matter are
// rebuilds and comparisons: discoveries are coalesced per backend (discovery-lanes.ts), builds
// are coalesced and wait for running discoveries (build-scheduler.ts), and a change is detected
// per backend and kind when its inventory arrives, never by comparing whole catalogs. A config
// reload adds, removes or replaces backends and swaps the aggregation rules in place.
import type { AggregationConfig } from '../config/types.js';
import type { BackendConnector, JsonObject, ListKind } from '../backends/connector.js';
import type { BackoffPolicy } from '../backends/backoff.js';
import { describeError } from '../backends/errors.js';
import { channels, publish, type CatalogEvent, type WarningEvent } from '../observability/channels.js';
import { BuildScheduler } from './build-scheduler.js';
import { buildCatalog, type Catalog, type CatalogInput } from './catalog.js';
import type { NameProblem } from './conflicts.js';
import { DiscoveryLanes } from './discovery-lanes.js';
import { notifyListeners } from './listeners.js';
import { gateInputs, type ToolGate } from './tool-gate.js';
import { discoverKinds, emptyInventory, INVENTORY_KINDS, type BackendInventory, type InventoryKind } from './discovery.js';

export type ChangeListener = (kinds: ListKind[], catalog: Catalog) => void;

export interface CatalogManagerOptions {
  /** Backoff for re-listing a kind that failed (discovery-lanes.ts `defaultKindRetry`). */
  kindRetry?: BackoffPolicy;
  /** The longest a build waits for running discoveries (build-scheduler.ts). */
  maxBuildDeferMs?: number;
}

const LIST_OF: Readonly<Record<InventoryKind, ListKind>> = {
  tools: 'tools',
  prompts: 'prompts',
  resources: 'resources',
  templates: 'resources',
};
const KINDS_OF: Readonly<Record<ListKind, readonly InventoryKind[]>> = {
  tools: ['tools'],
  prompts: ['prompts'],
  resources: ['resources', 'templates'],
};
const LIST_ORDER: readonly ListKind[] = ['tools', 'prompts', 'resources'];

export class CatalogManager {
  #connectors: readonly BackendConnector[];
  #agg: AggregationConfig;
  #inventories = new Map<string, BackendInventory>();
  #kindErrors = new Map<string, Map<InventoryKind, string>>();
  #virtual = new Map<string, BackendInventory>();
  #catalog: Catalog;
  #full: Catalog;
  #problems: NameProblem[] = [];
  #listeners = new Set<ChangeListener>();
  #unsubscribe = new Map<string, () => void>();
  /** Hidden by the health layer (unhealthy, open circuit). */
  #hidden = new Set<string>();
  /** Connection lost: out of the catalog until it is back and rediscovered. */
  #down = new Set<string>();
  /** Lists of visible backends changed since the last build. */
  #dirty = new Set<ListKind>();
  #firstSettled = new Set<string>();
  #lanes: DiscoveryLanes;
  #builds: BuildScheduler;
  #discoveryTimeoutMs: (backend: string) => number | undefined;
  #gate: ToolGate | undefined;

  /** Discovery of a backend is bounded by its connect timeout, so a hanging list never blocks start. */
  constructor(
    connectors: readonly BackendConnector[],
    agg: AggregationConfig,
    discoveryTimeoutMs: (backend: string) => number | undefined = () => undefined,
    options: CatalogManagerOptions = {},
  ) {
    this.#connectors = connectors;
    this.#discoveryTimeoutMs = discoveryTimeoutMs;
    this.#agg = agg;
    this.#catalog = buildCatalog(0, [], agg).catalog;
    this.#full = this.#catalog;
    this.#builds = new BuildScheduler(
      () => this.#build(),
      () => this.#busy(),
      options.maxBuildDeferMs,
    );
    this.#lanes = new DiscoveryLanes(
      (c, kinds) => this.#discover(c, kinds),
      () => this.#builds.poke(),
      options.kindRetry,
    );
    for (const c of connectors) this.#track(c);
  }

  #track(c: BackendConnector): void {
    this.#unsubscribe.set(c.name, c.subscribe({ onDown: () => this.#setDown(c.name, true) }));
    void c.firstAttempt().then(() => {
      this.#firstSettled.add(c.name);
      this.#builds.poke();
    });
  }

  /** A backend added by a config reload (or the replacement of a changed one): discovered when it connects. */
  addBackend(c: BackendConnector): void {
    this.removeBackend(c.name);
    this.#connectors = [...this.#connectors, c];
    this.#track(c);
  }

  /** A backend removed by a config reload: what it offered leaves the catalog in the next build. */
  removeBackend(name: string): void {
    if (!this.#connectors.some((c) => c.name === name)) return;
    this.#unsubscribe.get(name)?.();
    this.#unsubscribe.delete(name);
    this.#connectors = this.#connectors.filter((c) => c.name !== name);
    const inv = this.#inventories.get(name);
    if (inv && this.#visible(name)) for (const kind of INVENTORY_KINDS) if (inv[kind].length > 0) this.#dirty.add(LIST_OF[kind]);
    for (const set of [this.#hidden, this.#down, this.#firstSettled]) set.delete(name);
    this.#inventories.delete(name);
    this.#kindErrors.delete(name);
    void this.#builds.request();
  }

  /** New naming, conflict or filter rules (a config reload): every list is rebuilt and announced. */
  setAggregation(agg: AggregationConfig): void {
    this.#agg = agg;
    for (const l of LIST_ORDER) this.#dirty.add(l);
    void this.#builds.request();
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
  /** The kinds whose last listing failed (they are retried with backoff), with a sanitized reason. */
  kindErrors(backend: string): ReadonlyMap<InventoryKind, string> {
    return this.#kindErrors.get(backend) ?? new Map();
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * (Re)discover one backend (`kind`: only that list, as a list_changed says), then rebuild.
   * Resolves once the catalog includes what was found; calls for one backend are coalesced.
   */
  async refresh(connector: BackendConnector, kind?: ListKind): Promise<void> {
    await this.#lanes.refresh(connector, kind ? KINDS_OF[kind] : INVENTORY_KINDS);
    await this.#builds.pending();
  }

  /** What the shared catalog is built from (visible backends only): the base of per-user views. */
  inputs(): CatalogInput[] {
    return gateInputs(this.#inputs(), this.#gate).filter((i) => this.#visible(i.backend));
  }

  /** Resolves when every discovery started so far has finished and the catalog includes it. */
  async settled(): Promise<void> {
    await this.#lanes.settled();
    this.#builds.flush();
  }

  /**
   * Hide or show a backend without forgetting what it offers: the health layer hides unhealthy
   * backends and open circuits, and shows them again when they recover.
   */
  setHidden(backend: string, hidden: boolean): void {
    if (hidden === this.#hidden.has(backend)) return;
    this.#toggle(this.#hidden, backend, hidden);
  }

  #setDown(backend: string, down: boolean): void {
    if (down !== this.#down.has(backend)) this.#toggle(this.#down, backend, down);
  }

  #visible(backend: string): boolean {
    return !this.#hidden.has(backend) && !this.#down.has(backend);
  }

  /** Add or remove `backend` in one of the hiding sets; rebuild when its visibility changed. */
  #toggle(set: Set<string>, backend: string, add: boolean): void {
    const before = this.#visible(backend);
    if (add) set.add(backend);
    else set.delete(backend);
    const inv = this.#inventories.get(backend);
    if (!inv || before === this.#visible(backend)) return;
    for (const kind of INVENTORY_KINDS) if (inv[kind].length > 0) this.#dirty.add(LIST_OF[kind]);
    void this.#builds.request();
  }

  /**
   * Tools the gateway itself implements (composite tools, tool search, code mode), listed under a
   * provider name as if it were a backend: naming, conflicts and filters apply to them as to any
   * backend's tools, and routing sends them to the provider (routing/view.ts). An empty list
   * removes the provider.
   */
  setVirtual(provider: string, tools: readonly JsonObject[]): void {
    const prev = this.#virtual.get(provider);
    if (tools.length === 0) this.#virtual.delete(provider);
    else this.#virtual.set(provider, Object.freeze({ ...emptyInventory, tools: Object.freeze([...tools]) }));
    if (prev === undefined && tools.length === 0) return;
    this.#dirty.add('tools');
    void this.#builds.request();
  }

  /** Held tools leave the catalog but stay in fullCatalog (a call names them as held); tools are re-announced. */
  setToolGate(gate: ToolGate | undefined): void {
    this.#gate = gate;
    this.#dirty.add('tools');
    void this.#builds.request();
  }

  close(): void {
    this.#lanes.close();
    this.#builds.close();
  }

  /** Builds wait while discoveries run, and at start until every backend's first attempt settled. */
  #busy(): boolean {
    if (this.#lanes.running > 0) return true;
    return this.#connectors.some((c) => c.state === 'connecting' && !this.#firstSettled.has(c.name));
  }

  async #discover(queued: BackendConnector, kinds: readonly InventoryKind[]): Promise<InventoryKind[]> {
    const connector = this.#connectors.find((c) => c.name === queued.name); // a reload may have replaced it
    if (connector?.state !== 'ready') return [];
    const found = await discoverKinds(connector, kinds, this.#discoveryTimeoutMs(connector.name));
    if (!this.#connectors.includes(connector)) return []; // removed or replaced meanwhile
    const name = connector.name;
    const prev = this.#inventories.get(name);
    const next: Record<InventoryKind, BackendInventory[InventoryKind]> = { ...(prev ?? emptyInventory) };
    const errors = this.#kindErrors.get(name) ?? new Map<InventoryKind, string>();
    const failed: InventoryKind[] = [];
    const changed = new Set<ListKind>();
    for (const [kind, outcome] of found) {
      if (!outcome.ok) {
        failed.push(kind);
        errors.set(kind, describeError(outcome.error));
        publish<WarningEvent>(channels.warning, { source: name, message: `${kind} discovery failed: ${describeError(outcome.error)}` });
        continue;
      }
      errors.delete(kind);
      if (!prev || !sameItems(prev[kind], outcome.items)) changed.add(LIST_OF[kind]);
      next[kind] = outcome.items;
    }
    this.#kindErrors.set(name, errors);
    this.#inventories.set(name, Object.freeze(next));
    if (!prev || changed.size > 0) this.#changed(name, changed);
    this.#setDown(name, false); // back (rediscovered): in the same build as what it offers now
    return failed;
  }

  #changed(backend: string, lists: ReadonlySet<ListKind>): void {
    if (this.#visible(backend)) for (const l of lists) this.#dirty.add(l);
    void this.#builds.request();
  }

  #inputs(): CatalogInput[] {
    const backends = this.#connectors
      .filter((c) => this.#inventories.has(c.name))
      .map((c) => ({ backend: c.name, inventory: this.#inventories.get(c.name)! }));
    return [...backends, ...[...this.#virtual].map(([backend, inventory]) => ({ backend, inventory, virtual: true as const }))];
  }

  #build(): void {
    const all = this.#inputs();
    const gated = gateInputs(all, this.#gate);
    const inputs = gated.filter((i) => this.#visible(i.backend));
    const { catalog, problems } = buildCatalog(this.#catalog.version + 1, inputs, this.#agg);
    this.#full = inputs.length === all.length && gated === all ? catalog : buildCatalog(0, all, this.#agg).catalog;
    const changed = LIST_ORDER.filter((k) => this.#dirty.has(k));
    this.#dirty.clear();
    this.#problems = problems;
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
    if (changed.length > 0) notifyListeners(this.#listeners, changed, catalog);
  }
}

/** One backend's list before and after a rediscovery (a few KB each; never the whole catalog). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
