// The features of a running gateway, replaceable one by one: a reload that changes a feature's
// config section builds the new feature first (a failure leaves the old one serving), then puts
// it in the old one's slot, starts it and closes the old one. Calls already running in the old
// chain finish with the old feature; the routing is rebuilt from `parts()` right after.
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import type { RuntimeConfig } from '../config/types.js';
import type { CallMiddleware, RequestContext } from '../routing/context.js';
import type { RequestView, VirtualProvider } from '../routing/view.js';
import type { AsyncDisposableStack } from './disposable-stack.js';
import { FEATURES, type FeatureEntry } from './feature-list.js';
import { decorate, middlewareOf, providersOf, type Feature, type FeatureDeps } from './features.js';

/** What the routing takes from the features: chain middleware, providers, the view decorator. */
export interface FeatureParts {
  readonly extra: { readonly outer: readonly CallMiddleware[]; readonly beforeBackend: readonly CallMiddleware[] };
  readonly virtual: ReadonlyMap<string, VirtualProvider>;
  readonly decorate?: (view: RequestView, ctx: RequestContext) => Promise<RequestView>;
}

/** What a reload's feature commit did: the features it started, the sections it kept as they were. */
export interface FeatureCommit {
  readonly started: Feature[];
  readonly kept: { readonly section: keyof RuntimeConfig; readonly reason: string }[];
}

interface Slot {
  readonly entry: FeatureEntry;
  feature: Feature | undefined;
}

export class LiveFeatures {
  readonly #slots: Slot[];
  readonly #catalogs: CatalogManager;

  private constructor(slots: Slot[], catalogs: CatalogManager) {
    this.#slots = slots;
    this.#catalogs = catalogs;
  }

  /** Every feature the config asks for; closed with the stack. */
  static async build(deps: FeatureDeps, stack: AsyncDisposableStack, entries: readonly FeatureEntry[] = FEATURES): Promise<LiveFeatures> {
    const slots: Slot[] = [];
    const live = new LiveFeatures(slots, deps.catalogs);
    stack.defer(() => live.close());
    for (const entry of entries) {
      const feature = await entry.build(deps);
      slots.push({ entry, feature });
      live.#publish(undefined, feature);
    }
    return live;
  }

  /** The current features, in order. */
  get list(): Feature[] {
    return this.#slots.flatMap((s) => (s.feature ? [s.feature] : []));
  }

  parts(): FeatureParts {
    const list = this.list;
    const decorator = decorate(list);
    return { extra: middlewareOf(list), virtual: providersOf(list), ...(decorator ? { decorate: decorator } : {}) };
  }

  /**
   * Build the features whose section changed, without touching the running ones (a feature that
   * refuses its new section throws here, and nothing changed); the returned commit puts them in
   * place and starts them. One whose start refuses (e.g. a step tool the catalog does not have)
   * is taken out again and the old one keeps serving; the commit names it in `kept`.
   */
  async prepare(deps: FeatureDeps, changed: ReadonlySet<keyof RuntimeConfig>): Promise<() => Promise<FeatureCommit>> {
    const slots = this.#slots.filter((s) => s.entry.section !== undefined && changed.has(s.entry.section));
    const built: (Feature | undefined)[] = [];
    try {
      for (const s of slots) built.push(await s.entry.build(deps));
    } catch (err) {
      await Promise.all(built.map((f) => f?.close?.()));
      throw err;
    }
    return async () => {
      const commit: FeatureCommit = { started: [], kept: [] };
      for (const [i, s] of slots.entries()) {
        const old = s.feature;
        const next = built[i];
        s.feature = next;
        this.#publish(old, next);
        try {
          await next?.start?.();
        } catch (err) {
          s.feature = old;
          this.#publish(next, old);
          await next?.close?.();
          const reason = (err instanceof Error ? err.message : String(err)).replace(/:?\s*\n\s*-?\s*/g, ': ');
          commit.kept.push({ section: s.entry.section!, reason });
          continue;
        }
        if (next) commit.started.push(next);
        await old?.close?.();
      }
      return commit;
    };
  }

  async close(): Promise<void> {
    for (const s of [...this.#slots].reverse()) await s.feature?.close?.();
  }

  /** The catalog lists the new feature's virtual tools, and no longer the old one's. */
  #publish(old: Feature | undefined, next: Feature | undefined): void {
    const names = new Set((next?.providers ?? []).map((p) => p.name));
    for (const p of old?.providers ?? []) if (!names.has(p.name)) this.#catalogs.setVirtual(p.name, []);
    for (const p of next?.providers ?? []) this.#catalogs.setVirtual(p.name, p.tools());
  }
}
