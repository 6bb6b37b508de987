// Per-backend tool curation (ToolHive names): filter (allow-list of ORIGINAL names), excludeAll,
// global excludeAllTools, and overrides {name, description} keyed by the original name.
import type { AggregationConfig } from '../config/types.js';
import type { JsonObject } from '../backends/connector.js';
import type { Candidate } from './conflicts.js';

export interface ToolCandidate extends Candidate {
  definition: JsonObject;
}

/** `virtual`: the gateway's own tools, which excludeAllTools leaves listed (ToolHive's composite tools). */
export function toolCandidates(
  backend: string,
  tools: readonly JsonObject[],
  agg: AggregationConfig,
  source: 'backend' | 'virtual' = 'backend',
): ToolCandidate[] {
  if (agg.excludeAllTools && source === 'backend') return [];
  const ws = agg.tools[backend];
  if (ws?.excludeAll) return [];
  const out: ToolCandidate[] = [];
  for (const tool of tools) {
    const original = tool['name'];
    if (typeof original !== 'string' || original === '') continue;
    if (ws?.filter && !ws.filter.includes(original)) continue;
    const override = ws?.overrides[original];
    const definition = override?.description !== undefined ? { ...tool, description: override.description } : tool;
    out.push({ backend, original, name: override?.name ?? original, definition });
  }
  return out;
}
