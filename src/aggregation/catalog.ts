// The aggregated catalog: an immutable snapshot {version, tools, prompts, resources, templates}
// with a route for each advertised entry. A change builds a new snapshot and swaps it; readers
// never lock (architecture: "Core contracts").
import { UriTemplate } from '@modelcontextprotocol/client';
import type { AggregationConfig } from '../config/types.js';
import type { JsonObject } from '../backends/connector.js';
import type { BackendInventory } from './discovery.js';
import { resolveNames, type NameProblem } from './conflicts.js';
import { toolCandidates } from './filter.js';

export interface Route {
  readonly backend: string;
  /** The backend's own name or URI (template string for templates). */
  readonly name: string;
}

export interface Catalog {
  readonly version: number;
  readonly tools: readonly JsonObject[];
  readonly prompts: readonly JsonObject[];
  readonly resources: readonly JsonObject[];
  readonly templates: readonly JsonObject[];
  tool(name: string): Route | undefined;
  /** The advertised definition of a tool (for annotations), by its advertised name. */
  toolDefinition(name: string): JsonObject | undefined;
  prompt(name: string): Route | undefined;
  resource(uri: string): Route | undefined;
  template(uriTemplate: string): Route | undefined;
  /** The backend whose resource template matches a concrete URI (RFC 6570), first match wins. */
  matchTemplate(uri: string): Route | undefined;
  /** Backends that contributed anything, in config order. */
  readonly backends: readonly string[];
}

export interface CatalogInput {
  backend: string;
  inventory: BackendInventory;
  /** Tools the gateway implements (composite tools…): `excludeAllTools` is about backends, not these. */
  virtual?: true;
}

export interface CatalogBuild {
  catalog: Catalog;
  problems: NameProblem[];
}

export function buildCatalog(version: number, inputs: readonly CatalogInput[], agg: AggregationConfig): CatalogBuild {
  const problems: NameProblem[] = [];
  const naming = {
    strategy: agg.conflictResolution,
    prefixFormat: agg.prefixFormat,
    priorityOrder: agg.priorityOrder,
    maxLength: agg.maxToolNameLength,
  };
  const toolCands = inputs.flatMap((i) => toolCandidates(i.backend, i.inventory.tools, agg, i.virtual ? 'virtual' : 'backend'));
  const tools = resolveNames(toolCands, { ...naming, kind: 'tool' });
  const promptCands = inputs.flatMap((i) => named(i.backend, i.inventory.prompts));
  const prompts = resolveNames(promptCands, { ...naming, kind: 'prompt' });
  problems.push(...tools.problems, ...prompts.problems);

  const ordered = orderByPriority(inputs, agg.priorityOrder);
  const resources = byKey(ordered, (inv) => inv.resources, 'uri', 'resource', problems);
  const templates = byKey(ordered, (inv) => inv.templates, 'uriTemplate', 'resource template', problems);
  const matchers = templates.entries.map((t) => ({ route: t.route, template: safeTemplate(t.key) }));

  const toolRoutes = new Map(tools.resolved.map((t) => [t.final, { backend: t.backend, name: t.original }]));
  const promptRoutes = new Map(prompts.resolved.map((p) => [p.final, { backend: p.backend, name: p.original }]));
  const toolDefs = freezeAll(tools.resolved.map((t) => ({ ...t.definition, name: t.final })));
  const toolsByName = new Map(toolDefs.map((t) => [t['name'] as string, t]));
  const catalog: Catalog = {
    version,
    tools: toolDefs,
    prompts: freezeAll(prompts.resolved.map((p) => ({ ...p.definition, name: p.final }))),
    resources: freezeAll(resources.entries.map((e) => e.item)),
    templates: freezeAll(templates.entries.map((e) => e.item)),
    tool: (name) => toolRoutes.get(name),
    toolDefinition: (name) => toolsByName.get(name),
    prompt: (name) => promptRoutes.get(name),
    resource: (uri) => resources.routes.get(uri),
    template: (t) => templates.routes.get(t),
    matchTemplate: (uri) => matchers.find((m) => m.template?.match(uri))?.route,
    backends: Object.freeze(inputs.map((i) => i.backend)),
  };
  return { catalog: Object.freeze(catalog), problems };
}

function named(backend: string, items: readonly JsonObject[]) {
  return items
    .filter((p) => typeof p['name'] === 'string' && p['name'] !== '')
    .map((p) => ({ backend, original: p['name'] as string, name: p['name'] as string, definition: p }));
}

function orderByPriority(inputs: readonly CatalogInput[], priority: readonly string[]): CatalogInput[] {
  const rank = (b: string) => (priority.includes(b) ? priority.indexOf(b) : priority.length);
  return [...inputs].sort((a, b) => rank(a.backend) - rank(b.backend)); // stable: config order within a rank
}

/** Resources and templates keep their URIs (never rewritten); a duplicate goes to the first backend. */
function byKey(
  inputs: readonly CatalogInput[],
  pick: (inv: BackendInventory) => readonly JsonObject[],
  key: string,
  kind: string,
  problems: NameProblem[],
) {
  const routes = new Map<string, Route>();
  const entries: { key: string; item: JsonObject; route: Route }[] = [];
  for (const { backend, inventory } of inputs) {
    for (const item of pick(inventory)) {
      const k = item[key];
      if (typeof k !== 'string') continue;
      const owner = routes.get(k);
      if (owner) {
        if (owner.backend !== backend) {
          problems.push({
            severity: 'warning',
            name: k,
            backends: [owner.backend, backend],
            message: `${kind} "${k}" exists in "${owner.backend}" and "${backend}"; "${owner.backend}" serves it`,
          });
        }
        continue;
      }
      const route = { backend, name: k };
      routes.set(k, route);
      entries.push({ key: k, item, route });
    }
  }
  return { routes, entries };
}

function safeTemplate(t: string): UriTemplate | undefined {
  try {
    return new UriTemplate(t);
  } catch {
    return undefined;
  }
}

function freezeAll<T extends object>(items: T[]): readonly T[] {
  return Object.freeze(items.map((i) => Object.freeze(i)));
}
