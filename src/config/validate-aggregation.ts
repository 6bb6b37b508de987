// Cross-field rules of the `aggregation` section (ToolHive's validator rules, minus the ones
// that need discovery: whether `manual` really resolves every conflict is checked at runtime).
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import type { BackendIndex } from './backend-index.js';

// What Claude Desktop and most clients accept in a tool name; `.` and `/` get tools rejected.
const TOOL_NAME_CHARS = /^[A-Za-z0-9_-]*$/;

/** `providers`: names of virtual tool providers, which aggregation may name like backends. */
export function aggregationIssues(aggregation: unknown, index: BackendIndex, providers: ReadonlySet<string> = new Set()): RawIssue[] {
  if (!isRecord(aggregation)) return [];
  const config = isRecord(aggregation.conflictResolutionConfig) ? aggregation.conflictResolutionConfig : {};
  return [
    ...strategyIssues(aggregation.conflictResolution, config.priorityOrder),
    ...priorityOrderIssues(config.priorityOrder, index, providers),
    ...prefixFormatIssues(config.prefixFormat),
    ...workloadToolsIssues(aggregation.tools, index, providers),
    ...visibilityIssues(aggregation, config.priorityOrder),
  ];
}

/**
 * ToolHive's rule: with deny + priority, every priorityOrder backend needs an aggregation.tools
 * entry, or a conflict could be won by a backend whose tools are then hidden.
 */
function visibilityIssues(aggregation: Record<string, unknown>, priorityOrder: unknown): RawIssue[] {
  if (aggregation.defaultToolVisibility !== 'deny') return [];
  const listed = new Set(
    (Array.isArray(aggregation.tools) ? aggregation.tools : []).map((t: unknown) => (isRecord(t) ? t.workload : undefined)),
  );
  if (listed.size === 0) {
    return [warning(['aggregation', 'defaultToolVisibility'], '"deny" with no aggregation.tools entries: no backend tool is advertised')];
  }
  if (aggregation.conflictResolution !== 'priority' || !Array.isArray(priorityOrder)) return [];
  return priorityOrder.flatMap((name: unknown, i): RawIssue[] =>
    typeof name === 'string' && !listed.has(name)
      ? [error(['aggregation', 'conflictResolutionConfig', 'priorityOrder', i], `"${name}" needs an aggregation.tools entry under "deny"`)]
      : [],
  );
}

function strategyIssues(strategy: unknown, priorityOrder: unknown): RawIssue[] {
  const hasOrder = Array.isArray(priorityOrder) && priorityOrder.length > 0;
  if (strategy === 'priority' && !hasOrder) {
    return [error(['aggregation', 'conflictResolution'], '"priority" needs a non-empty conflictResolutionConfig.priorityOrder')];
  }
  if (strategy !== 'priority' && hasOrder) {
    return [warning(['aggregation', 'conflictResolutionConfig', 'priorityOrder'], 'ignored unless conflictResolution is "priority"', true)];
  }
  return [];
}

function priorityOrderIssues(priorityOrder: unknown, index: BackendIndex, providers: ReadonlySet<string>): RawIssue[] {
  if (!Array.isArray(priorityOrder)) return [];
  const seen = new Set<unknown>();
  return priorityOrder.flatMap((name: unknown, i): RawIssue[] => {
    const path: PathSegment[] = ['aggregation', 'conflictResolutionConfig', 'priorityOrder', i];
    if (typeof name !== 'string') return [];
    if (seen.has(name)) return [warning(path, `"${name}" is listed more than once`)];
    seen.add(name);
    if (!index.all.has(name) && !providers.has(name)) return [error(path, `no backend is named "${name}"`)];
    if (index.disabled.has(name)) return [warning(path, `backend "${name}" is disabled; this entry is ignored`)];
    return [];
  });
}

function prefixFormatIssues(prefixFormat: unknown): RawIssue[] {
  if (typeof prefixFormat !== 'string') return [];
  const path: PathSegment[] = ['aggregation', 'conflictResolutionConfig', 'prefixFormat'];
  if (prefixFormat === '') return [error(path, 'must not be empty (the default is "{workload}_")')];
  const issues: RawIssue[] = [];
  if (!prefixFormat.includes('{workload}')) {
    issues.push(warning(path, 'has no {workload} placeholder: every backend gets the same prefix, so same-named tools still collide'));
  }
  if (!TOOL_NAME_CHARS.test(prefixFormat.replaceAll('{workload}', ''))) {
    issues.push(warning(path, 'contains characters outside [A-Za-z0-9_-]; some clients (e.g. Claude Desktop) reject such tool names'));
  }
  return issues;
}

function workloadToolsIssues(tools: unknown, index: BackendIndex, providers: ReadonlySet<string>): RawIssue[] {
  if (!Array.isArray(tools)) return [];
  const firstIndex = new Map<string, number>();
  return tools.flatMap((entry: unknown, i): RawIssue[] => {
    if (!isRecord(entry) || typeof entry.workload !== 'string') return [];
    const path: PathSegment[] = ['aggregation', 'tools', i];
    const issues = entryIssues(entry, path);
    const first = firstIndex.get(entry.workload);
    if (first !== undefined) {
      issues.push(
        error([...path, 'workload'], `duplicate workload "${entry.workload}": aggregation.tools[${first}] and aggregation.tools[${i}]`),
      );
    } else {
      firstIndex.set(entry.workload, i);
    }
    if (!index.all.has(entry.workload) && !providers.has(entry.workload))
      issues.push(error([...path, 'workload'], `no backend is named "${entry.workload}"`));
    return issues;
  });
}

function entryIssues(entry: Record<string, unknown>, path: readonly PathSegment[]): RawIssue[] {
  const issues: RawIssue[] = [];
  if (entry.excludeAll === true && entry.filter !== undefined) {
    issues.push(warning([...path, 'filter'], 'ignored: excludeAll hides every tool of this backend', true));
  }
  const overrides = isRecord(entry.overrides) ? entry.overrides : {};
  const renamedFrom = new Map<string, string>();
  for (const [original, override] of Object.entries(overrides)) {
    if (!isRecord(override) || typeof override.name !== 'string') continue;
    const at: PathSegment[] = [...path, 'overrides', original, 'name'];
    const clash = renamedFrom.get(override.name);
    if (clash !== undefined) issues.push(error(at, `"${original}" and "${clash}" are both renamed to "${override.name}"`));
    renamedFrom.set(override.name, original);
    if (!TOOL_NAME_CHARS.test(override.name)) {
      issues.push(warning(at, 'contains characters outside [A-Za-z0-9_-]; some clients (e.g. Claude Desktop) reject such tool names'));
    }
  }
  return issues;
}
