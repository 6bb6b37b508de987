// Per-backend tool curation (ToolHive names): filter (allow-list of ORIGINAL names), excludeAll,
// global excludeAllTools, defaultToolVisibility, and overrides {name, description, annotations}
// keyed by the original name. Applied before conflict resolution.
import type { AggregationConfig, ToolOverride } from '../config/types.js';
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
  // deny: only backends the file names under aggregation.tools are advertised.
  if (ws === undefined && agg.defaultToolVisibility === 'deny') return [];
  const out: ToolCandidate[] = [];
  for (const tool of tools) {
    const original = tool['name'];
    if (typeof original !== 'string' || original === '') continue;
    if (ws?.filter && !ws.filter.includes(original)) continue;
    const override = ws?.overrides[original];
    out.push({ backend, original, name: override?.name ?? original, definition: overridden(tool, override) });
  }
  return out;
}

/**
 * The definition as advertised (and as Cedar sees it): an override's description, and only the
 * annotation fields it sets, replace the backend's (ToolHive's pointer semantics).
 */
function overridden(tool: JsonObject, override: ToolOverride | undefined): JsonObject {
  if (override === undefined) return tool;
  const out: Record<string, unknown> = { ...tool };
  if (override.description !== undefined) out['description'] = override.description;
  if (override.annotations !== undefined) {
    const own = tool['annotations'];
    const base = typeof own === 'object' && own !== null && !Array.isArray(own) ? own : {};
    const set = Object.entries(override.annotations).filter(([, v]) => v !== undefined);
    out['annotations'] = { ...base, ...Object.fromEntries(set) };
  }
  return out as JsonObject;
}
