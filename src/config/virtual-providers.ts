// The names virtual tools are listed under (as if they were backends), so `aggregation` may name
// them (filters, overrides, priorityOrder) and no backend may take them: a backend called
// `composite` would have its tools routed to the composite provider.
import { isRecord } from './expand-env.js';
import { error } from './issues.js';
import type { RawIssue } from './issues.js';

/** The provider composite tools are listed under (app/composite.ts uses the same name). */
export const COMPOSITE_PROVIDER_NAME = 'composite';

export function virtualProviders(data: Record<string, unknown>): ReadonlySet<string> {
  const names = new Set<string>();
  if (Array.isArray(data.compositeTools) && data.compositeTools.length > 0) names.add(COMPOSITE_PROVIDER_NAME);
  return names;
}

export function reservedNameIssues(data: Record<string, unknown>, providers: ReadonlySet<string>): RawIssue[] {
  if (!Array.isArray(data.backends)) return [];
  return data.backends.flatMap((b: unknown, i): RawIssue[] =>
    isRecord(b) && typeof b.name === 'string' && providers.has(b.name)
      ? [error(['backends', i, 'name'], `"${b.name}" is reserved for the gateway's own tools (compositeTools); rename the backend`)]
      : [],
  );
}
