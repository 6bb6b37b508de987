// What every step executor gets, and what it hands back to the step runner.
import type { CompiledStep, CompiledWorkflow } from './compile.js';
import type { WorkflowEvent, WorkflowHost } from './host.js';
import type { WorkflowState } from './state.js';

type Distribute<T> = T extends unknown ? Omit<T, 'workflowId' | 'workflow'> : never;
export type EventBody = Distribute<WorkflowEvent>;

export interface StepEnv {
  readonly host: WorkflowHost;
  readonly state: WorkflowState;
  readonly workflow: CompiledWorkflow;
  /** host.event with the workflow's id and name filled in; a throwing host is ignored. */
  readonly emit: (event: EventBody) => void;
}

export type StepOutcome =
  | {
      readonly kind: 'completed';
      readonly output: Record<string, unknown>;
      readonly content?: Record<string, unknown>;
      readonly attempts?: number;
    }
  | { readonly kind: 'failed'; readonly error: Error; readonly output?: Record<string, unknown>; readonly attempts?: number };

export type StepExecutor = (step: CompiledStep, env: StepEnv, signal: AbortSignal) => Promise<StepOutcome>;

export function failed(error: Error | string, attempts?: number): StepOutcome {
  return { kind: 'failed', error: typeof error === 'string' ? new Error(error) : error, ...(attempts === undefined ? {} : { attempts }) };
}
