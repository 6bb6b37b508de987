// A composite tool as clients see it in tools/list, and the checks that need the catalog (so
// they run at start, once backends are discovered): every step tool resolves to one backend
// tool, no backend tool already has the composite's name, and explicit annotations do not
// contradict the ones derived from the step tools.
import { formatPath } from '../config/issues.js';
import type { CompositeToolConfig, JsonObject } from '../config/types-composite.js';
import { annotationContradictions, deriveAnnotations, mergeAnnotations, stepTools } from './annotations.js';
import type { ToolAnnotations } from './annotations.js';
import { outputSchemaOf } from './output.js';
import { resolveToolReference } from './tool-ref.js';
import type { ToolCandidate } from './tool-ref.js';

export interface CompositeToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonObject;
  readonly outputSchema?: JsonObject;
  readonly annotations?: ToolAnnotations;
}

/** Annotations of the tool a step names; undefined when unknown (treated conservatively). */
export type AnnotationLookup = (tool: string) => ToolAnnotations | undefined;

export function compositeToolDefinition(config: CompositeToolConfig, lookup: AnnotationLookup = () => undefined): CompositeToolDefinition {
  const floor = deriveAnnotations(stepTools(config).map((s) => lookup(s.tool)));
  const annotations = mergeAnnotations(floor, config.annotations);
  return {
    name: config.name,
    description: config.description,
    inputSchema: { ...config.parameters, type: 'object' },
    ...(config.output === undefined ? {} : { outputSchema: outputSchemaOf(config.output) }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

/** An annotation lookup over the catalog's tools (advertised and hidden). */
export function catalogLookup(candidates: readonly ToolCandidate[]): AnnotationLookup {
  return (tool) => {
    const found = resolveToolReference(tool, candidates);
    return found.kind === 'found' ? found.tool.annotations : undefined;
  };
}

export interface CatalogIssue {
  /** `compositeTools[0].steps[2].tool`, as in `vmcp validate`. */
  readonly path: string;
  readonly message: string;
  /** An unknown tool is a warning: its backend may only be down. */
  readonly severity: 'error' | 'warning';
}

export function compositeCatalogIssues(tools: readonly CompositeToolConfig[], candidates: readonly ToolCandidate[]): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const advertised = new Set(candidates.flatMap((c) => (c.name === undefined ? [] : [c.name])));
  tools.forEach((tool, i) => {
    const at = (...rest: (string | number)[]): string => formatPath(['compositeTools', i, ...rest]);
    if (advertised.has(tool.name))
      issues.push({ path: at('name'), message: `a backend tool is already named "${tool.name}"`, severity: 'error' });
    for (const { tool: ref, path } of stepTools(tool)) {
      const found = resolveToolReference(ref, candidates);
      if (found.kind === 'unknown') issues.push({ path: at(...path), message: `no backend tool "${ref}"`, severity: 'warning' });
      if (found.kind === 'ambiguous') {
        const choices = found.backends.map((b) => `"${b}.${ref}"`).join(' or ');
        issues.push({
          path: at(...path),
          message: `"${ref}" is offered by ${found.backends.join(', ')}: write ${choices}`,
          severity: 'error',
        });
      }
    }
    const floor = deriveAnnotations(stepTools(tool).map((s) => catalogLookup(candidates)(s.tool)));
    for (const [hint, message] of annotationContradictions(tool.annotations, floor)) {
      issues.push({ path: at('annotations', hint), message, severity: 'error' });
    }
  });
  return issues;
}
