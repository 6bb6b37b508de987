// A composite tool's MCP annotations, derived from its step tools as ToolHive does
// (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/internal/compositetools/annotations.go):
// readOnlyHint is the AND of the steps', destructiveHint and openWorldHint the OR, an unknown
// step counts as the MCP defaults (not read-only, destructive, open-world), idempotentHint is
// never derived. Explicit annotations may be more cautious than that floor, never less: a contradiction is an error.
import type { CompositeAnnotations, CompositeToolConfig } from '../config/types-composite.js';

export type ToolAnnotations = CompositeAnnotations;

/** Every tool a workflow calls, forEach inner steps included, with where it is named. */
export function stepTools(config: CompositeToolConfig): { tool: string; path: (string | number)[] }[] {
  return config.steps.flatMap((step, i) => {
    if (step.type === 'tool') return [{ tool: step.tool, path: ['steps', i, 'tool'] }];
    if (step.type === 'forEach') return [{ tool: step.step.tool, path: ['steps', i, 'step', 'tool'] }];
    return [];
  });
}

/** The safety floor; undefined when the workflow calls no tool (only asks the user). */
export function deriveAnnotations(steps: readonly (ToolAnnotations | undefined)[]): ToolAnnotations | undefined {
  if (steps.length === 0) return undefined;
  let readOnlyHint = true;
  let destructiveHint = false;
  let openWorldHint = false;
  for (const a of steps) {
    if (a?.readOnlyHint !== true) readOnlyHint = false;
    if (a?.destructiveHint !== false) destructiveHint = true;
    if (a?.openWorldHint !== false) openWorldHint = true;
  }
  return { readOnlyHint, destructiveHint, openWorldHint };
}

/** Explicit hints that would make the tool look safer than its steps allow, as messages by hint. */
export function annotationContradictions(
  explicit: ToolAnnotations | undefined,
  floor: ToolAnnotations | undefined,
): [keyof ToolAnnotations, string][] {
  if (explicit === undefined || floor === undefined) return [];
  const found: [keyof ToolAnnotations, string][] = [];
  if (explicit.readOnlyHint === true && floor.readOnlyHint !== true) {
    found.push(['readOnlyHint', 'readOnlyHint is true, but not every step tool is read-only']);
  }
  if (explicit.destructiveHint === false && floor.destructiveHint === true) {
    found.push(['destructiveHint', 'destructiveHint is false, but a step tool is destructive (or does not say)']);
  }
  if (explicit.openWorldHint === false && floor.openWorldHint === true) {
    found.push(['openWorldHint', 'openWorldHint is false, but a step tool is open-world (or does not say)']);
  }
  return found;
}

/** Explicit values win per hint (and title); undefined when there is nothing to advertise. */
export function mergeAnnotations(floor: ToolAnnotations | undefined, explicit: ToolAnnotations | undefined): ToolAnnotations | undefined {
  if (floor === undefined && explicit === undefined) return undefined;
  const merged: Record<string, unknown> = { ...floor };
  for (const [key, value] of Object.entries(explicit ?? {})) if (value !== undefined) merged[key] = value;
  return merged as ToolAnnotations;
}
