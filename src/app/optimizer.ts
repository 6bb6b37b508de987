// Tool search (`optimizer:`, `serve --optimizer`) as a Feature: a view decorator that lists
// find_tool and call_tool (plus the alwaysAdvertise tools the caller can see) instead of the
// catalog, and resolves those two names to the optimizer provider. Everything else resolves as
// before, so call_tool's inner call finds the real tool in the caller's own view. The meta-tools
// are not put in the catalog: aggregation's prefix naming would rename them, and their names are
// the contract agents are prompted with.
import type { Catalog } from '../aggregation/catalog.js';
import type { JsonObject } from '../protocol/index.js';
import type { EntryKind, RequestView, Resolution, VirtualTarget } from '../routing/context.js';
import type { VirtualProvider } from '../routing/view.js';
import { META_TOOL_NAMES, advertisedTools } from '../search/meta-tools.js';
import type { ToolDefinition } from '../search/tool-definition.js';
import { createToolSearch } from '../search/tool-search.js';
import { ViewIndexes } from '../search/view-indexes.js';
import type { OptimizerConfig } from '../config/types.js';
import type { Feature, FeatureDeps } from './features.js';
import { optimizerProvider } from './optimizer-provider.js';

export function optimizerFeature(deps: FeatureDeps): Feature | undefined {
  const config = deps.config.optimizer;
  if (config.mode === 'off') return undefined;
  const search = createToolSearch(config);
  const indexes = new ViewIndexes();
  const originals = new WeakMap<RequestView, RequestView>();
  const provider = optimizerProvider({ config, search, indexes, undecorated: (v) => originals.get(v) ?? v });
  const lists = new AdvertisedLists(config);
  // The shared catalog's index is rebuilt as soon as the catalog changes; a caller's filtered list
  // is searched as a subset of it, and a per-user list reuses its analyses (view-indexes.ts).
  const warm = () => void search.prepare(indexes.shared(deps.catalogs.catalog.tools));
  const unsubscribe = deps.catalogs.onChange(warm);
  return {
    name: 'optimizer',
    view: (view) => {
      const decorated = decorateView(view, lists.of(view.catalog), provider);
      originals.set(decorated, view);
      return decorated;
    },
    start: warm,
    close: () => void unsubscribe(),
  };
}

function decorateView(view: RequestView, catalog: Catalog, provider: VirtualProvider): RequestView {
  return {
    catalog,
    refused: view.refused,
    resolve: (entry: EntryKind, name: string): Resolution =>
      entry === 'tool' && META_TOOL_NAMES.has(name) ? { ok: metaTarget(provider, name) } : view.resolve(entry, name),
  };
}

function metaTarget(provider: VirtualProvider, name: string): VirtualTarget {
  const definition = provider.tools().find((t) => t['name'] === name) ?? {};
  return { kind: 'virtual', provider: provider.name, name, advertised: name, definition, run: (c) => provider.run(c) };
}

/** The advertised catalog per view catalog: lists replaced, lookups unchanged (cached per snapshot). */
class AdvertisedLists {
  readonly #config: OptimizerConfig;
  readonly #cache = new WeakMap<Catalog, Catalog>();

  constructor(config: OptimizerConfig) {
    this.#config = config;
  }

  of(catalog: Catalog): Catalog {
    let made = this.#cache.get(catalog);
    if (made === undefined) this.#cache.set(catalog, (made = this.#make(catalog)));
    return made;
  }

  #make(c: Catalog): Catalog {
    // Only names the caller's list shows: the catalog's lookups also answer for filtered-out tools.
    const visible = new Map<string, ToolDefinition>();
    const wanted = new Set(this.#config.alwaysAdvertise);
    for (const t of c.tools) if (wanted.has(String(t['name']))) visible.set(String(t['name']), t as ToolDefinition);
    const tools = advertisedTools(this.#config, (name) => visible.get(name)) as unknown as JsonObject[];
    return Object.freeze({
      version: c.version,
      tools: Object.freeze(tools),
      prompts: c.prompts,
      resources: c.resources,
      templates: c.templates,
      backends: c.backends,
      tool: (n: string) => c.tool(n),
      toolDefinition: (n: string) => c.toolDefinition(n),
      prompt: (n: string) => c.prompt(n),
      resource: (u: string) => c.resource(u),
      template: (t: string) => c.template(t),
      matchTemplate: (u: string) => c.matchTemplate(u),
    });
  }
}
