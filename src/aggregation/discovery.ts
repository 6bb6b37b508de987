// Capability discovery of one backend: every list it declares, followed page by page to the end
// (ToolHive #5851). A repeated cursor or an absurd page count is a lying backend, not a loop.
import { ProtocolError } from '@modelcontextprotocol/client';
import type { BackendConnector, JsonObject } from '../backends/connector.js';

export interface BackendInventory {
  readonly tools: readonly JsonObject[];
  readonly prompts: readonly JsonObject[];
  readonly resources: readonly JsonObject[];
  readonly templates: readonly JsonObject[];
}

export const emptyInventory: BackendInventory = Object.freeze({ tools: [], prompts: [], resources: [], templates: [] });

const MAX_PAGES = 1000;
const METHOD_NOT_FOUND = -32601;

/** One list a backend can serve; `templates` is part of the `resources` capability. */
export type InventoryKind = 'tools' | 'prompts' | 'resources' | 'templates';
export const INVENTORY_KINDS: readonly InventoryKind[] = ['tools', 'prompts', 'resources', 'templates'];

const LISTS: Readonly<Record<InventoryKind, { method: string; key: string; capability: string }>> = {
  tools: { method: 'tools/list', key: 'tools', capability: 'tools' },
  prompts: { method: 'prompts/list', key: 'prompts', capability: 'prompts' },
  resources: { method: 'resources/list', key: 'resources', capability: 'resources' },
  templates: { method: 'resources/templates/list', key: 'resourceTemplates', capability: 'resources' },
};

export type KindOutcome = { readonly ok: true; readonly items: readonly JsonObject[] } | { readonly ok: false; readonly error: unknown };

/**
 * Each kind on its own: a backend whose `resources/list` fails (server-postgres without a database)
 * still offers its tools. A kind the backend does not declare is empty.
 */
export async function discoverKinds(
  connector: BackendConnector,
  kinds: readonly InventoryKind[],
  timeoutMs?: number,
): Promise<Map<InventoryKind, KindOutcome>> {
  const caps = connector.info?.capabilities ?? {};
  const outcomes = await Promise.all(
    kinds.map(async (kind): Promise<KindOutcome> => {
      const { method, key, capability } = LISTS[kind];
      if (!caps[capability]) return { ok: true, items: [] };
      try {
        return { ok: true, items: await listAll(connector, method, key, timeoutMs) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  return new Map(kinds.map((k, i) => [k, outcomes[i]!]));
}

/** Every kind, all or nothing (per-user views: a refusal of any list is a refusal of the user). */
export async function discover(connector: BackendConnector, timeoutMs?: number): Promise<BackendInventory> {
  const found = await discoverKinds(connector, INVENTORY_KINDS, timeoutMs);
  const items = (kind: InventoryKind): readonly JsonObject[] => {
    const o = found.get(kind)!;
    if (!o.ok) throw o.error;
    return o.items;
  };
  return { tools: items('tools'), prompts: items('prompts'), resources: items('resources'), templates: items('templates') };
}

async function listAll(connector: BackendConnector, method: string, key: string, timeoutMs: number | undefined): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: JsonObject;
    try {
      result = await connector.request(
        { method, params: cursor === undefined ? {} : { cursor } },
        timeoutMs === undefined ? {} : { timeoutMs },
      );
    } catch (err) {
      // A backend that declares `resources` but has no templates endpoint is common; treat as empty.
      if (err instanceof ProtocolError && err.code === METHOD_NOT_FOUND) return items;
      throw err;
    }
    const list = result[key];
    if (!Array.isArray(list)) throw new Error(`backend "${connector.name}" answered ${method} without a "${key}" array`);
    items.push(...(list.filter((x) => x && typeof x === 'object') as JsonObject[]));
    const next = result['nextCursor'];
    if (typeof next !== 'string' || next === '') return items;
    if (seen.has(next)) throw new Error(`backend "${connector.name}" repeated cursor "${next.slice(0, 40)}" in ${method}`);
    seen.add(next);
    cursor = next;
  }
  throw new Error(`backend "${connector.name}" returned more than ${MAX_PAGES} pages for ${method}`);
}
