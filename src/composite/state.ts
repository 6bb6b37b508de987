// The state of one run: a record per step (status, output, timing) and the template context
// built from it — `.params`, `.steps.<id>.{status,output,content,error}`, `.workflow.*` and, in a
// loop, `.forEach.<itemVar>` / `.forEach.index` (ToolHive's template_expander.go).
import type { CompositeStepType } from '../config/types-composite.js';
import type { Clock, StepStatus } from './host.js';
import { setOwn } from './template/values.js';
import type { TemplateObject, TemplateValue } from './template/values.js';

export interface StepRecord {
  readonly id: string;
  readonly type: CompositeStepType;
  readonly level: number;
  status: StepStatus;
  output?: Record<string, unknown>;
  /** The tool result's content as a map: text, text_1, image_0, resource, … */
  content?: Record<string, unknown>;
  error?: string;
  attempts: number;
  /** Milliseconds after the workflow started. */
  startedAtMs?: number;
  durationMs?: number;
  skipReason?: 'condition' | 'skip_remaining';
}

export interface ForEachScope {
  readonly itemVar: string;
  readonly item: unknown;
  readonly index: number;
}

export class WorkflowState {
  readonly id: string;
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly startedAt: number;
  readonly records: ReadonlyMap<string, StepRecord>;
  readonly #clock: Clock;
  /** Set by an elicitation answered with skip_remaining: steps not yet started are skipped. */
  skipRemaining = false;
  status: 'running' | 'completed' = 'running';

  constructor(opts: { id: string; name: string; params: Readonly<Record<string, unknown>>; clock: Clock; steps: readonly StepRecord[] }) {
    this.id = opts.id;
    this.name = opts.name;
    this.params = opts.params;
    this.#clock = opts.clock;
    this.startedAt = opts.clock.now();
    this.records = new Map(opts.steps.map((s) => [s.id, s]));
  }

  elapsed(): number {
    return this.#clock.now() - this.startedAt;
  }

  record(id: string): StepRecord {
    const record = this.records.get(id);
    if (record === undefined) throw new Error(`no step "${id}"`);
    return record;
  }

  context(forEach?: ForEachScope): TemplateValue {
    const steps: Record<string, TemplateValue> = {};
    let completed = 0;
    for (const r of this.records.values()) {
      if (r.status === 'completed') completed++;
      if (r.status === 'pending') continue;
      setOwn(steps, r.id, {
        status: r.status,
        output: (r.output ?? {}) as TemplateObject,
        content: (r.content ?? {}) as TemplateObject,
        ...(r.error === undefined ? {} : { error: r.error }),
      });
    }
    const root: Record<string, TemplateValue> = {
      params: this.params as TemplateObject,
      steps,
      vars: {},
      workflow: {
        id: this.id,
        duration_ms: BigInt(Math.round(this.elapsed())),
        step_count: BigInt(completed),
        status: this.status,
        start_time: new Date(this.startedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    };
    if (forEach !== undefined) root.forEach = { [forEach.itemVar]: forEach.item as TemplateValue, index: BigInt(forEach.index) };
    return root;
  }
}
