// The backend tools a composite step may name, as the engine's ToolCandidate list: every tool the
// caller's view or the shared catalog advertises (under its advertised name, so the call resolves,
// is health-gated and is authorized exactly as the client's own call would be), plus the tools the
// aggregation filters leave out of every list (no advertised name: called by backend and own name).
// Virtual tools (composites, tool search, code mode) are never step tools.
import type { Catalog } from '../aggregation/catalog.js';
import type { CatalogManager } from '../aggregation/catalog-manager.js';
import type { ToolAnnotations } from '../composite/annotations.js';
import { resolveToolReference, type ToolCandidate, type ToolResolution } from '../composite/tool-ref.js';
import type { JsonObject } from '../protocol/index.js';

/** The candidates of one catalog snapshot, with each reference resolved once. */
export class StepTools {
  readonly list: readonly ToolCandidate[];
  readonly #resolved = new Map<string, ToolResolution>();

  constructor(list: readonly ToolCandidate[]) {
    this.list = list;
  }

  resolve(ref: string): ToolResolution {
    let r = this.#resolved.get(ref);
    if (r === undefined) this.#resolved.set(ref, (r = resolveToolReference(ref, this.list)));
    return r;
  }
}

/** Candidates per catalog snapshot: a catalog, its full twin and the inventories change together. */
export class StepToolIndex {
  readonly #catalogs: CatalogManager;
  readonly #backends: readonly string[];
  readonly #cache = new WeakMap<Catalog, StepTools>();

  constructor(catalogs: CatalogManager, backends: readonly string[]) {
    this.#catalogs = catalogs;
    this.#backends = backends;
  }

  /** For a caller whose view lists `catalog` (the shared catalog when there is no caller). */
  of(catalog: Catalog = this.#catalogs.catalog): StepTools {
    let tools = this.#cache.get(catalog);
    if (tools === undefined) this.#cache.set(catalog, (tools = new StepTools(this.#candidates(catalog))));
    return tools;
  }

  #candidates(catalog: Catalog): ToolCandidate[] {
    const backends = new Set(this.#backends);
    const out: ToolCandidate[] = [];
    const names = new Set<string>();
    const covered = new Set<string>();
    for (const source of [catalog, this.#catalogs.fullCatalog]) {
      for (const def of source.tools) {
        const name = String(def['name']);
        const route = source.tool(name);
        if (route === undefined || !backends.has(route.backend) || names.has(name)) continue;
        if (covered.has(key(route.backend, route.name))) continue;
        names.add(name);
        covered.add(key(route.backend, route.name));
        out.push(candidate(def, route.backend, route.name, name));
      }
    }
    for (const backend of this.#backends) {
      for (const def of this.#catalogs.inventory(backend)?.tools ?? []) {
        const own = def['name'];
        if (typeof own !== 'string' || covered.has(key(backend, own))) continue;
        out.push(candidate(def, backend, own, undefined));
      }
    }
    return out;
  }
}

function key(backend: string, name: string): string {
  return `${backend}\u0000${name}`;
}

function candidate(def: JsonObject, backend: string, originalName: string, name: string | undefined): ToolCandidate {
  const inputSchema = def['inputSchema'] as JsonObject | undefined;
  const annotations = def['annotations'] as ToolAnnotations | undefined;
  return {
    ...(name === undefined ? {} : { name }),
    backend,
    originalName,
    ...(inputSchema === undefined ? {} : { inputSchema }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}
