// The step graph: execution levels (a step runs in the first level after all its dependencies,
// as ToolHive's dagExecutor builds them), cycles (for validation messages) and the transitive
// dependencies a step's templates may read.

export interface GraphStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/**
 * Kahn's algorithm in rounds: each level holds the steps whose dependencies are all in earlier
 * levels, in file order. Unknown dependencies are ignored (validation reports them); steps on a
 * cycle never become ready and are returned in `blocked`.
 */
export function executionLevels(steps: readonly GraphStep[]): { levels: string[][]; blocked: string[] } {
  const ids = new Set(steps.map((s) => s.id));
  const pending = new Map(steps.map((s) => [s.id, new Set(s.dependsOn.filter((d) => ids.has(d) && d !== s.id))]));
  const selfLoops = new Set(steps.filter((s) => s.dependsOn.includes(s.id)).map((s) => s.id));
  const levels: string[][] = [];
  const done = new Set<string>();
  for (;;) {
    const ready = steps.filter((s) => !done.has(s.id) && !selfLoops.has(s.id) && [...(pending.get(s.id) ?? [])].every((d) => done.has(d)));
    if (ready.length === 0) break;
    const level = [...new Set(ready.map((s) => s.id))];
    level.forEach((id) => done.add(id));
    levels.push(level);
  }
  return { levels, blocked: steps.map((s) => s.id).filter((id) => !done.has(id)) };
}

/** Every cycle found by a depth-first search, each as a closed path (a → b → a), once. */
export function findCycles(steps: readonly GraphStep[]): string[][] {
  const edges = new Map(steps.map((s) => [s.id, s.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of edges.get(id) ?? []) {
      if (!edges.has(dep) || dep === id) continue;
      if (state.get(dep) === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (state.get(dep) === undefined) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const s of steps) if (state.get(s.id) === undefined) visit(s.id);
  return cycles;
}

/** The steps `id` waits for, directly or through others (cycles tolerated). */
export function ancestorsOf(id: string, steps: readonly GraphStep[]): Set<string> {
  const edges = new Map(steps.map((s) => [s.id, s.dependsOn]));
  const seen = new Set<string>();
  const queue = [...(edges.get(id) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(edges.get(next) ?? []));
  }
  return seen;
}
