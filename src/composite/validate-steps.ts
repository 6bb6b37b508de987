// Structural rules of a workflow's steps (ToolHive's composite_validation.go, reported all at
// once with paths): unique ids, fields that fit the step type, dependencies that exist and do
// not loop, retry settings, and the elicitation bounds.
import { tryParseDuration } from '../config/duration.js';
import { error, warning } from '../config/issues.js';
import { COMPOSITE_LIMITS } from '../config/schema-composite.js';
import { findCycles } from './dag.js';
import { didYouMean, list, rec, str } from './validate-model.js';
import type { IssueSink, RawStep, RawWorkflow } from './validate-model.js';

/** Fields that belong to one step type only. */
const OWN_FIELDS: Readonly<Record<RawStep['type'], readonly string[]>> = {
  tool: ['tool', 'arguments'],
  elicitation: ['message', 'schema', 'onDecline', 'onCancel'],
  forEach: ['collection', 'itemVar', 'maxParallel', 'maxIterations', 'step'],
};
const OWNER = new Map(Object.entries(OWN_FIELDS).flatMap(([type, fields]) => fields.map((f) => [f, type])));

export function stepIssues(wf: RawWorkflow, report: IssueSink): void {
  const seen = new Map<string, number>();
  list(wf.data.steps).forEach((raw, index) => {
    const id = str(rec(raw).id);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else report(error([...wf.at, 'steps', index, 'id'], `duplicate step id "${id}": steps[${first}] and steps[${index}]`));
  });
  for (const step of wf.steps) {
    typeIssues(step, report);
    dependencyIssues(step, wf, report);
    onErrorIssues(step, report);
    if (step.type === 'elicitation') elicitationIssues(step, report);
    if (step.type === 'forEach') forEachIssues(step, report);
  }
  for (const cycle of findCycles(wf.steps)) {
    const at = wf.byId.get(cycle[0] ?? '');
    if (at !== undefined) report(error([...at.at, 'dependsOn'], `dependency cycle: ${cycle.join(' → ')}`));
  }
}

function typeIssues(step: RawStep, report: IssueSink): void {
  const d = step.data;
  if (d.type === undefined && d.tool !== undefined && d.message !== undefined) {
    report(error(step.at, 'a step with both "tool" and "message" must say its type (tool or elicitation)'));
    return;
  }
  for (const [field, owner] of OWNER) {
    if (d[field] !== undefined && owner !== step.type) {
      report(error([...step.at, field], `"${field}" belongs to ${owner} steps; this is a ${step.type} step`, true));
    }
  }
  const required: Record<RawStep['type'], string[]> = { tool: ['tool'], elicitation: ['message'], forEach: ['collection', 'step'] };
  for (const field of required[step.type]) {
    if (d[field] === undefined) report(error(step.at, `a ${step.type} step needs "${field}"`));
  }
}

function dependencyIssues(step: RawStep, wf: RawWorkflow, report: IssueSink): void {
  list(step.data.dependsOn).forEach((dep, i) => {
    if (typeof dep !== 'string') return;
    const at = [...step.at, 'dependsOn', i];
    if (dep === step.id) report(error(at, `step "${step.id}" depends on itself`));
    else if (!wf.byId.has(dep)) report(error(at, `unknown step "${dep}"${didYouMean(dep, wf.byId.keys())}`));
  });
}

function onErrorIssues(step: RawStep, report: IssueSink): void {
  const check = (onError: Readonly<Record<string, unknown>>, at: readonly (string | number)[]): void => {
    const retry = onError.action === 'retry';
    if (retry && (typeof onError.retryCount !== 'number' || onError.retryCount < 1)) {
      report(error([...at, 'retryCount'], 'must be at least 1 when action is retry'));
    }
    for (const key of ['retryCount', 'retryDelay']) {
      if (!retry && onError[key] !== undefined) report(warning([...at, key], `ignored: only used when action is retry`, true));
    }
  };
  if (step.data.onError !== undefined) check(rec(step.data.onError), [...step.at, 'onError']);
  const inner = rec(step.data.step);
  if (step.type === 'forEach' && inner.onError !== undefined) check(rec(inner.onError), [...step.at, 'step', 'onError']);
  if (step.type === 'forEach' && rec(step.data.onError).action === 'retry') {
    report(error([...step.at, 'onError', 'action'], 'a forEach step is not retried: put onError retry on its inner step'));
  }
}

function elicitationIssues(step: RawStep, report: IssueSink): void {
  const limitMs = tryParseDuration(COMPOSITE_LIMITS.maxElicitationTimeout) ?? 0;
  const timeout = tryParseDuration(step.data.timeout);
  if (timeout !== undefined && timeout > limitMs) {
    report(error([...step.at, 'timeout'], `an elicitation waits at most ${COMPOSITE_LIMITS.maxElicitationTimeout}`));
  }
  const schema = step.data.schema;
  if (schema === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? '');
  if (bytes > COMPOSITE_LIMITS.maxElicitationSchemaBytes) {
    report(error([...step.at, 'schema'], `schema is ${bytes} bytes; the limit is ${COMPOSITE_LIMITS.maxElicitationSchemaBytes} (100 KB)`));
  }
  const depth = nestingDepth(schema);
  if (depth > COMPOSITE_LIMITS.maxElicitationSchemaDepth) {
    report(error([...step.at, 'schema'], `schema nesting depth is ${depth}; the limit is ${COMPOSITE_LIMITS.maxElicitationSchemaDepth}`));
  }
  const type = rec(schema).type;
  if (type !== undefined && type !== 'object') report(error([...step.at, 'schema', 'type'], 'an elicitation schema must be type object'));
}

function forEachIssues(step: RawStep, report: IssueSink): void {
  const inner = rec(step.data.step);
  if (step.data.step !== undefined && inner.type !== undefined && inner.type !== 'tool') {
    report(error([...step.at, 'step', 'type'], 'only tool steps can be repeated by forEach'));
  }
}

/** Levels of maps and lists below the value, as ToolHive counts them (a flat object is 1). */
export function nestingDepth(value: unknown, depth = 0): number {
  if (depth > 1000) return depth;
  if (Array.isArray(value)) return Math.max(depth + 1, ...value.map((v) => nestingDepth(v, depth + 1)));
  if (typeof value === 'object' && value !== null) {
    return Math.max(depth + 1, ...Object.values(value).map((v) => nestingDepth(v, depth + 1)));
  }
  return depth;
}
