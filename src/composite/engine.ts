// Runs a compiled workflow level by level (ToolHive's dagExecutor): the steps of a level run in
// parallel, at most MAX_PARALLEL_STEPS at a time, and a level starts when the previous one has
// finished. A step failing with onError abort cancels the rest of its level and ends the run;
// the workflow timeout and the caller's signal abort everything, host calls included.
import { randomUUID } from 'node:crypto';
import type { CompiledWorkflow } from './compile.js';
import type { WorkflowHost, WorkflowStatus } from './host.js';
import { Limiter } from './limiter.js';
import { buildOutput } from './output.js';
import { applyParameterDefaults, checkArguments } from './params.js';
import { formatMs } from './render-dag.js';
import { scope, WorkflowAbort } from './signals.js';
import type { Scope } from './signals.js';
import { WorkflowState } from './state.js';
import type { StepRecord } from './state.js';
import type { EventBody, StepEnv } from './step-env.js';
import { runStep } from './step-run.js';
import { message } from './tool-call.js';

/** ToolHive's defaultMaxParallelSteps. */
export const MAX_PARALLEL_STEPS = 10;

export interface RunOptions {
  /** The client's cancellation (notifications/cancelled, a closed connection). */
  readonly signal?: AbortSignal;
  /** Run id (default: a random UUID); `.workflow.id` in templates. */
  readonly id?: string;
}

export interface WorkflowRun {
  readonly id: string;
  readonly name: string;
  readonly status: WorkflowStatus;
  /** structuredContent: the `output` object, or the last completed step's output. */
  readonly output?: Record<string, unknown>;
  readonly error?: string;
  readonly startedAt: number;
  readonly durationMs: number;
  /** In file order. */
  readonly steps: readonly StepRecord[];
}

export async function runWorkflow(wf: CompiledWorkflow, args: unknown, host: WorkflowHost, options: RunOptions = {}): Promise<WorkflowRun> {
  const problem = checkArguments(args, wf.config.parameters);
  const params = applyParameterDefaults(wf.config.parameters, problem === undefined ? (args as Record<string, unknown>) : {});
  const records = wf.steps.map((s): StepRecord => ({
    id: s.config.id,
    type: s.config.type,
    level: s.level,
    status: 'pending',
    attempts: 0,
  }));
  const state = new WorkflowState({ id: options.id ?? randomUUID(), name: wf.config.name, params, clock: host.clock, steps: records });
  const emit = (event: EventBody): void => {
    try {
      host.event({ ...event, workflowId: state.id, workflow: state.name } as Parameters<WorkflowHost['event']>[0]);
    } catch {}
  };
  const env: StepEnv = { host, state, workflow: wf, emit };
  emit({ type: 'workflow.started', steps: wf.steps.length, timeoutMs: wf.config.timeoutMs });
  if (problem !== undefined) return finish(env, 'failed', `invalid arguments: ${problem}`);
  const root = rootScope(wf, host, options.signal);
  try {
    const failure = await runLevels(env, root);
    if (failure !== undefined) return finish(env, statusOf(failure), failure.message);
    state.status = 'completed';
    return finish(env, 'completed', undefined, output(env));
  } catch (e) {
    return finish(env, 'failed', message(e));
  } finally {
    root.dispose();
  }
}

function rootScope(wf: CompiledWorkflow, host: WorkflowHost, external: AbortSignal | undefined): Scope {
  const limit = formatMs(wf.config.timeoutMs);
  const root = scope(
    undefined,
    host.clock,
    wf.config.timeoutMs,
    () => new WorkflowAbort('timeout', `workflow timed out after ${limit}`, 'workflow'),
  );
  const cancel = (): void => root.abort(new WorkflowAbort('cancelled', 'the call was cancelled'));
  if (external?.aborted) cancel();
  external?.addEventListener('abort', cancel, { once: true });
  return { ...root, dispose: () => (root.dispose(), external?.removeEventListener('abort', cancel)) };
}

/** Undefined when every level ran; else why the run stopped. */
async function runLevels(env: StepEnv, root: Scope): Promise<WorkflowAbort | undefined> {
  const limiter = new Limiter(MAX_PARALLEL_STEPS);
  for (const level of env.workflow.levels) {
    if (root.signal.aborted) return reasonOf(root.signal);
    const own = scope(root.signal, env.host.clock);
    const settled = await Promise.allSettled(
      level.map((step) =>
        limiter
          .run(own.signal, () => runStep(step, env, own.signal))
          .catch((e: unknown) => {
            own.abort(e instanceof WorkflowAbort ? e : new WorkflowAbort('failed', message(e)));
            throw e;
          }),
      ),
    );
    own.dispose();
    if (root.signal.aborted) return reasonOf(root.signal);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && isOwnFailure(s.reason));
    if (failure !== undefined) return failure.reason as WorkflowAbort;
  }
  return undefined;
}

function isOwnFailure(reason: unknown): boolean {
  return reason instanceof WorkflowAbort && reason.kind === 'failed';
}

function reasonOf(signal: AbortSignal): WorkflowAbort {
  return signal.reason instanceof WorkflowAbort ? signal.reason : new WorkflowAbort('cancelled', 'the call was cancelled');
}

function statusOf(failure: WorkflowAbort): WorkflowStatus {
  if (failure.kind === 'timeout') return 'timed_out';
  return failure.kind === 'cancelled' ? 'cancelled' : 'failed';
}

function output(env: StepEnv): Record<string, unknown> | undefined {
  const { workflow, state } = env;
  if (workflow.output !== undefined) return buildOutput(workflow.output, workflow.config.output?.required ?? [], state.context());
  // ToolHive returns the last completed step's output; "last" in execution order here, so a
  // final level of parallel steps gives the same answer on every run.
  const order = workflow.levels.flat().map((s) => state.record(s.config.id));
  return order.reverse().find((r) => r.status === 'completed')?.output;
}

function finish(env: StepEnv, status: WorkflowStatus, error?: string, result?: Record<string, unknown>): WorkflowRun {
  const { state } = env;
  const durationMs = state.elapsed();
  for (const r of state.records.values()) if (r.status === 'running') r.status = 'cancelled';
  if (status === 'completed') env.emit({ type: 'workflow.completed', durationMs });
  else env.emit({ type: 'workflow.failed', status, durationMs, error: error ?? status });
  return {
    id: state.id,
    name: state.name,
    status,
    ...(result === undefined ? {} : { output: result }),
    ...(error === undefined ? {} : { error }),
    startedAt: state.startedAt,
    durationMs,
    steps: [...state.records.values()],
  };
}
