// What one request is served from: the catalog the caller may see (the shared one, or the caller's
// own with per-user backends), resolved once per name into a tagged result. Resolving has no side
// effects; the handler decides what a non-`ok` result becomes (an error, a notice).
import type { Catalog, Route } from '../aggregation/catalog.js';
import type { JsonObject } from '../protocol/index.js';
import type { BackendTarget, EntryKind, RequestView, Resolution, ResolvedCall, VirtualTarget } from './context.js';

export type { RequestView, Resolution } from './context.js';

/** A tool the gateway itself implements, listed in the catalog under a provider's name. */
export interface VirtualProvider {
  readonly name: string;
  /** The tools it offers (definitions as a backend's tools/list would give them). */
  tools(): readonly JsonObject[];
  run(call: ResolvedCall): Promise<JsonObject>;
}

export interface ViewParts {
  readonly catalog: Catalog;
  /** Including backends out of service: tells "unavailable right now" from "no such name". */
  readonly full: Catalog;
  readonly refused?: ReadonlyMap<string, string>;
  /** Which refused backend a name would belong to (prefix naming only). */
  readonly refusedBackend?: (name: string) => { backend: string; reason: string } | undefined;
  /** The only ready backend serving resources, for a URI no list names. */
  readonly soleResourceBackend?: () => string | undefined;
  readonly virtual?: ReadonlyMap<string, VirtualProvider>;
}

const NO_REFUSALS: ReadonlyMap<string, string> = new Map();

export function createView(parts: ViewParts): RequestView {
  return {
    catalog: parts.catalog,
    refused: parts.refused ?? NO_REFUSALS,
    resolve: (entry, name) => resolve(parts, entry, name),
  };
}

function resolve(parts: ViewParts, entry: EntryKind, name: string): Resolution {
  const route = lookup(parts.catalog, entry, name) ?? (entry === 'resource' ? soleBackend(parts, name) : undefined);
  if (route) return { ok: targetOf(parts, entry, name, route) };
  const full = lookup(parts.full, entry, name);
  if (full) return { hidden: full.backend };
  const refused = parts.refusedBackend?.(name);
  return refused ? { refused } : { unknown: true };
}

function lookup(catalog: Catalog, entry: EntryKind, name: string): Route | undefined {
  switch (entry) {
    case 'tool':
      return catalog.tool(name);
    case 'prompt':
      return catalog.prompt(name);
    case 'resource':
      return catalog.resource(name) ?? catalog.matchTemplate(name);
    case 'template':
      return catalog.template(name);
  }
}

function soleBackend(parts: ViewParts, uri: string): Route | undefined {
  const backend = parts.soleResourceBackend?.();
  return backend === undefined ? undefined : { backend, name: uri };
}

function targetOf(parts: ViewParts, entry: EntryKind, advertised: string, route: Route): BackendTarget | VirtualTarget {
  const definition = entry === 'tool' ? parts.catalog.toolDefinition(advertised) : undefined;
  const provider = parts.virtual?.get(route.backend);
  if (provider) {
    return {
      kind: 'virtual',
      provider: provider.name,
      name: route.name,
      advertised,
      definition: definition ?? {},
      run: (c) => provider.run(c),
    };
  }
  return { kind: 'backend', backend: route.backend, entry, name: route.name, advertised, ...(definition ? { definition } : {}) };
}
