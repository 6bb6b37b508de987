// Template rules: every template parses (only the documented subset), and every path it reads
// exists where it is read — a step's results only from steps it depends on (transitively), the
// forEach item only inside the loop, a skippable step's output fields only with defaultResults.
import { error, warning } from '../config/issues.js';
import type { PathSegment } from '../config/issues.js';
import { ancestorsOf } from './dag.js';
import { Template } from './template/template.js';
import type { TemplateReference } from './template/template.js';
import { didYouMean, rec, str } from './validate-model.js';
import type { IssueSink, RawStep, RawWorkflow } from './validate-model.js';

export type TemplateOwner = { readonly kind: 'step'; readonly step: RawStep; readonly itemVar?: string } | { readonly kind: 'output' };

/** A read of `.steps.<id>.output.<field>`, for the defaultResults rule. */
export interface OutputFieldRead {
  readonly stepId: string;
  readonly field: string;
  readonly reader: string;
}

const ROOTS = ['params', 'steps', 'workflow', 'forEach'];
const STEP_FIELDS = ['output', 'content', 'status', 'error'];
const WORKFLOW_FIELDS = ['id', 'duration_ms', 'step_count', 'status', 'start_time'];
const OUTPUT_KEYS: Readonly<Partial<Record<RawStep['type'], readonly string[]>>> = {
  elicitation: ['action', 'content', 'skipped'],
  forEach: ['iterations', 'count', 'completed', 'failed'],
};

export class TemplateChecker {
  readonly #wf: RawWorkflow;
  readonly #report: IssueSink;
  readonly #params: ReadonlySet<string> | undefined;
  readonly #ancestors = new Map<string, ReadonlySet<string>>();
  readonly reads: OutputFieldRead[] = [];

  constructor(wf: RawWorkflow, report: IssueSink) {
    this.#wf = wf;
    this.#report = report;
    const props = rec(wf.data.parameters).properties;
    this.#params = props === undefined ? undefined : new Set(Object.keys(rec(props)));
  }

  /** Check a template string, or every string inside an arguments-like value. */
  deep(value: unknown, at: readonly PathSegment[], owner: TemplateOwner): void {
    if (typeof value === 'string') this.check(value, at, owner);
    else if (Array.isArray(value)) value.forEach((v, i) => this.deep(v, [...at, i], owner));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) this.deep(v, [...at, k], owner);
    }
  }

  check(source: unknown, at: readonly PathSegment[], owner: TemplateOwner): void {
    if (typeof source !== 'string') return;
    let template: Template;
    try {
      template = Template.parse(source);
    } catch (e) {
      this.#report(error(at, `invalid template: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    for (const ref of template.references()) this.#reference(ref, at, owner);
  }

  #reference(ref: TemplateReference, at: readonly PathSegment[], owner: TemplateOwner): void {
    const [root, ...rest] = ref.path;
    const text = `.${ref.path.join('.')}`;
    if (root === undefined) return;
    if (root === 'vars') return this.#report(warning(at, `${text}: .vars is never set in a vmcp workflow (it renders <no value>)`));
    if (!ROOTS.includes(root)) {
      return this.#report(
        warning(at, `${text} is not defined and renders <no value>; templates read .params, .steps, .workflow, .forEach`),
      );
    }
    if (root === 'params') return this.#param(rest[0], text, at);
    if (root === 'workflow' && rest[0] !== undefined && !WORKFLOW_FIELDS.includes(rest[0])) {
      return this.#report(error(at, `${text}: .workflow has ${WORKFLOW_FIELDS.join(', ')}${didYouMean(rest[0], WORKFLOW_FIELDS)}`));
    }
    if (root === 'forEach') return this.#forEach(rest[0], text, at, owner);
    if (root === 'steps' && rest[0] !== undefined) this.#step(rest, text, at, owner);
  }

  #param(name: string | undefined, text: string, at: readonly PathSegment[]): void {
    if (name === undefined || this.#params === undefined || this.#params.has(name)) return;
    this.#report(warning(at, `${text}: parameter "${name}" is not declared in parameters.properties${didYouMean(name, this.#params)}`));
  }

  #forEach(name: string | undefined, text: string, at: readonly PathSegment[], owner: TemplateOwner): void {
    const itemVar = owner.kind === 'step' ? owner.itemVar : undefined;
    if (itemVar === undefined)
      return this.#report(error(at, `${text}: .forEach is only defined in the arguments of a forEach step's inner step`));
    if (name !== undefined && name !== itemVar && name !== 'index') {
      this.#report(error(at, `${text}: the loop defines .forEach.${itemVar} and .forEach.index${didYouMean(name, [itemVar, 'index'])}`));
    }
  }

  #step(rest: readonly string[], text: string, at: readonly PathSegment[], owner: TemplateOwner): void {
    const [id = '', field, key] = rest;
    const target = this.#wf.byId.get(id);
    if (target === undefined) return this.#report(error(at, `${text}: unknown step "${id}"${didYouMean(id, this.#wf.byId.keys())}`));
    if (owner.kind === 'step' && !this.#mayRead(owner.step, id)) {
      const message =
        owner.step.id === id ? 'a step cannot read its own results' : `add "${id}" to the dependsOn of step "${owner.step.id}"`;
      return this.#report(error(at, `${text}: step "${id}" is not a dependency of "${owner.step.id}" (${message})`));
    }
    if (field === undefined) return;
    if (!STEP_FIELDS.includes(field)) {
      const hint = field === 'action' ? ` (an elicitation's answer is .steps.${id}.output.action)` : didYouMean(field, STEP_FIELDS);
      return this.#report(error(at, `${text}: step results have .output, .content, .status and .error${hint}`));
    }
    const keys = OUTPUT_KEYS[target.type];
    if (field === 'output' && key !== undefined && keys !== undefined && !keys.includes(key)) {
      return this.#report(error(at, `${text}: the output of ${target.type} step "${id}" has ${keys.join(', ')}${didYouMean(key, keys)}`));
    }
    if (field === 'output' && key !== undefined) {
      this.reads.push({ stepId: id, field: key, reader: owner.kind === 'output' ? 'the output' : `step "${owner.step.id}"` });
    }
  }

  #mayRead(reader: RawStep, id: string): boolean {
    let ancestors = this.#ancestors.get(reader.id);
    if (ancestors === undefined) this.#ancestors.set(reader.id, (ancestors = ancestorsOf(reader.id, this.#wf.steps)));
    return reader.id !== id && ancestors.has(id);
  }
}

/** Every template of a workflow, each with the step (or output) that owns it. */
export function checkWorkflowTemplates(wf: RawWorkflow, checker: TemplateChecker): void {
  for (const step of wf.steps) {
    const owner: TemplateOwner = { kind: 'step', step };
    checker.check(step.data.condition, [...step.at, 'condition'], owner);
    checker.check(step.data.message, [...step.at, 'message'], owner);
    checker.check(step.data.collection, [...step.at, 'collection'], owner);
    if (step.data.arguments !== undefined) checker.deep(step.data.arguments, [...step.at, 'arguments'], owner);
    const inner = rec(step.data.step);
    if (step.type === 'forEach' && inner.arguments !== undefined) {
      const itemVar = str(step.data.itemVar) ?? 'item';
      checker.deep(inner.arguments, [...step.at, 'step', 'arguments'], { kind: 'step', step, itemVar });
    }
  }
  outputTemplates(rec(rec(wf.data.output).properties), [...wf.at, 'output', 'properties'], checker);
}

function outputTemplates(properties: Readonly<Record<string, unknown>>, at: readonly PathSegment[], checker: TemplateChecker): void {
  for (const [name, raw] of Object.entries(properties)) {
    const prop = rec(raw);
    checker.check(prop.value, [...at, name, 'value'], { kind: 'output' });
    if (prop.properties !== undefined) outputTemplates(rec(prop.properties), [...at, name, 'properties'], checker);
  }
}

/** ToolHive's rule: a step that may be skipped needs defaultResults for each output field read. */
export function defaultResultsIssues(wf: RawWorkflow, reads: readonly OutputFieldRead[], report: IssueSink): void {
  const reported = new Set<string>();
  for (const read of reads) {
    const step = wf.byId.get(read.stepId);
    if (step === undefined || !maySkip(step)) continue;
    if (Object.hasOwn(rec(step.data.defaultResults), read.field) || reported.has(`${read.stepId}.${read.field}`)) continue;
    reported.add(`${read.stepId}.${read.field}`);
    const why = step.data.condition !== undefined ? 'has a condition' : 'continues on error';
    const at = step.data.defaultResults === undefined ? step.at : [...step.at, 'defaultResults'];
    report(error(at, `step "${step.id}" ${why}, so defaultResults.${read.field} is required: ${read.reader} reads it`));
  }
}

/** A forEach that continues on error still produces its output, so only its condition counts. */
function maySkip(step: RawStep): boolean {
  return step.data.condition !== undefined || (rec(step.data.onError).action === 'continue' && step.type !== 'forEach');
}
