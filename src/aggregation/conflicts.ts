// Conflict resolution for tool and prompt names across backends, with ToolHive's strategies:
// prefix (every name gets prefixFormat), priority (earliest in priorityOrder wins, the rest are
// dropped; conflicts among unlisted backends fall back to prefixing), manual (the user renames via
// overrides; an unresolved tool conflict is an error naming both backends). Whatever the strategy,
// a collision of final names drops every claimant and is reported: never a silent winner.
import type { ConflictResolution } from '../config/types.js';
import { fitName, prefixFor } from './naming.js';

export interface Candidate {
  backend: string;
  /** The backend's own name for it. */
  original: string;
  /** After overrides, before conflict resolution. */
  name: string;
}
export type Resolved<C extends Candidate = Candidate> = C & {
  /** The advertised name. */
  final: string;
};
export interface NameProblem {
  severity: 'error' | 'warning';
  name: string;
  backends: string[];
  message: string;
}
export interface ResolveOptions {
  kind: 'tool' | 'prompt';
  strategy: ConflictResolution;
  prefixFormat: string;
  priorityOrder: readonly string[];
  maxLength: number;
}

export function resolveNames<C extends Candidate>(
  candidates: readonly C[],
  opts: ResolveOptions,
): { resolved: Resolved<C>[]; problems: NameProblem[] } {
  const problems: NameProblem[] = [];
  const named =
    opts.strategy === 'prefix'
      ? candidates.map((c) => ({ ...c, final: prefixFor(opts.prefixFormat, c.backend) + c.name }))
      : [...groupBy(candidates, (c) => c.name).values()].flatMap((group) => resolveGroup(group, opts, problems));
  const fitted = named.map((c) => ({ ...c, final: fitName(c.final, opts.maxLength) }));
  const resolved: Resolved<C>[] = [];
  for (const [final, group] of groupBy(fitted, (c) => c.final)) {
    if (group.length === 1) {
      resolved.push(group[0]!);
      continue;
    }
    const who = group.map((c) => `"${c.backend}" (${opts.kind} "${c.original}")`).join(' and ');
    problems.push({
      severity: 'error',
      name: final,
      backends: group.map((c) => c.backend),
      message: `${opts.kind} name "${final}" is claimed by ${who}; none of them is advertised until the names differ`,
    });
  }
  return { resolved, problems };
}

function resolveGroup<C extends Candidate>(group: C[], opts: ResolveOptions, problems: NameProblem[]): Resolved<C>[] {
  if (group.length === 1) return [{ ...group[0]!, final: group[0]!.name }];
  const backends = group.map((c) => c.backend);
  const name = group[0]!.name;
  if (opts.strategy === 'priority') {
    const ranked = group
      .filter((c) => opts.priorityOrder.includes(c.backend))
      .sort((a, b) => opts.priorityOrder.indexOf(a.backend) - opts.priorityOrder.indexOf(b.backend));
    const winner = ranked[0];
    if (winner) {
      problems.push({
        severity: 'warning',
        name,
        backends,
        message: `${opts.kind} "${name}" exists in ${quoteList(backends)}; "${winner.backend}" wins by priorityOrder, the others are hidden`,
      });
      return [{ ...winner, final: name }];
    }
  } else if (opts.kind === 'tool') {
    problems.push({
      severity: 'error',
      name,
      backends,
      message: `tool "${name}" is provided by ${quoteList(backends)}; with conflictResolution: manual, rename it with aggregation.tools[].overrides for all but one of them`,
    });
    return [];
  }
  problems.push({
    severity: 'warning',
    name,
    backends,
    message: `${opts.kind} "${name}" exists in ${quoteList(backends)}; advertised with backend prefixes`,
  });
  return group.map((c) => ({ ...c, final: prefixFor(opts.prefixFormat, c.backend) + c.name }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}
