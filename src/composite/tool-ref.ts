// Which backend tool a step's `tool` names (ToolHive's router.ResolveToolRef, plus bare names):
//   1. an advertised name, exactly (`github_create_issue` under prefix naming);
//   2. `workload.tool`: the backend's name and its own name for the tool (stable whatever the
//      naming strategy; works for hidden tools too);
//   3. a bare backend tool name, when exactly one backend has a tool of that name.
// The gateway's WorkflowHost resolves with this so validation and execution agree.
import type { JsonObject } from '../config/types-composite.js';
import type { ToolAnnotations } from './annotations.js';

export interface ToolCandidate {
  /** The advertised name; undefined for a tool hidden by filters (still callable from steps). */
  readonly name?: string;
  readonly backend: string;
  /** The backend's own name for the tool. */
  readonly originalName: string;
  readonly inputSchema?: JsonObject;
  readonly annotations?: ToolAnnotations;
}

export type ToolResolution =
  | { readonly kind: 'found'; readonly tool: ToolCandidate }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'ambiguous'; readonly backends: readonly string[] };

export function resolveToolReference(ref: string, candidates: readonly ToolCandidate[]): ToolResolution {
  const advertised = candidates.find((c) => c.name === ref);
  if (advertised !== undefined) return { kind: 'found', tool: advertised };
  const dot = ref.indexOf('.');
  if (dot > 0) {
    const [workload, original] = [ref.slice(0, dot), ref.slice(dot + 1)];
    const qualified = candidates.find((c) => c.backend === workload && c.originalName === original);
    if (qualified !== undefined) return { kind: 'found', tool: qualified };
  }
  const bare = candidates.filter((c) => c.originalName === ref);
  if (bare.length === 1) return { kind: 'found', tool: bare[0]! };
  if (bare.length > 1) return { kind: 'ambiguous', backends: [...new Set(bare.map((c) => c.backend))] };
  return { kind: 'unknown' };
}
