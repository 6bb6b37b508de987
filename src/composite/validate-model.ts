// A defensive view of one raw `compositeTools[i]` entry for the validation rules: the rules run
// on the parsed YAML before (and regardless of) the schema, so every field may be missing or of
// the wrong type; what cannot be read is left to the schema's messages.
import { isRecord } from '../config/expand-env.js';
import type { PathSegment, RawIssue } from '../config/issues.js';
import { stepTypeOf } from '../config/normalize-composite.js';
import type { CompositeStepType } from '../config/types-composite.js';
import { editDistance } from '../config/suggest.js';

export interface RawStep {
  readonly index: number;
  readonly at: readonly PathSegment[];
  readonly id: string;
  readonly type: CompositeStepType;
  readonly dependsOn: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RawWorkflow {
  readonly at: readonly PathSegment[];
  readonly data: Readonly<Record<string, unknown>>;
  /** Steps with a usable string id, in file order. */
  readonly steps: readonly RawStep[];
  readonly byId: ReadonlyMap<string, RawStep>;
}

export type IssueSink = (issue: RawIssue) => void;

export const rec = (v: unknown): Readonly<Record<string, unknown>> => (isRecord(v) ? v : {});
export const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function readWorkflow(data: Readonly<Record<string, unknown>>, at: readonly PathSegment[]): RawWorkflow {
  const steps: RawStep[] = [];
  const byId = new Map<string, RawStep>();
  list(data.steps).forEach((raw, index) => {
    const step = rec(raw);
    const id = str(step.id);
    if (id === undefined || id === '') return;
    const kind = step.type === 'tool' || step.type === 'elicitation' || step.type === 'forEach' ? step.type : undefined;
    const entry: RawStep = {
      index,
      at: [...at, 'steps', index],
      id,
      type: stepTypeOf({ type: kind, tool: str(step.tool), message: str(step.message), collection: str(step.collection) }),
      dependsOn: list(step.dependsOn).filter((d): d is string => typeof d === 'string'),
      data: step,
    };
    steps.push(entry);
    if (!byId.has(id)) byId.set(id, entry);
  });
  return { at, data, steps, byId };
}

/** " (did you mean "x"?)" when one candidate is close enough to be a likely typo. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance && distance < Math.max(candidate.length, name.length)) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
