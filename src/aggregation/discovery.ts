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

export async function discover(connector: BackendConnector, timeoutMs?: number): Promise<BackendInventory> {
  const caps = connector.info?.capabilities ?? {};
  const [tools, prompts, resources, templates] = await Promise.all([
    caps['tools'] ? listAll(connector, 'tools/list', 'tools', timeoutMs) : [],
    caps['prompts'] ? listAll(connector, 'prompts/list', 'prompts', timeoutMs) : [],
    caps['resources'] ? listAll(connector, 'resources/list', 'resources', timeoutMs) : [],
    caps['resources'] ? listAll(connector, 'resources/templates/list', 'resourceTemplates', timeoutMs) : [],
  ]);
  return { tools, prompts, resources, templates };
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
