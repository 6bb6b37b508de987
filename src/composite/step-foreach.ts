// A forEach step: the collection template yields a JSON array (at most maxIterations items);
// the inner tool step runs once per item, at most maxParallel at a time. The output is ToolHive's
// {iterations: [{index, item, status, output, error}], count, completed, failed}. Without
// onError continue the first failed iteration stops the rest (those waiting never start, those
// in flight are cancelled) and fails the step; with it, every item is tried.
import { toJson } from './template/values.js';
import { truncate } from './coerce.js';
import { Limiter } from './limiter.js';
import { outputOf } from './results.js';
import { scope, WorkflowAbort } from './signals.js';
import { failed } from './step-env.js';
import type { StepEnv, StepExecutor, StepOutcome } from './step-env.js';
import { callWithRetry, message } from './tool-call.js';
import type { CompiledStep } from './compile.js';
import type { ForEachStepConfig } from '../config/types-composite.js';
import { formatMs } from './render-dag.js';

interface Iteration {
  readonly index: number;
  readonly item: unknown;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly output?: Record<string, unknown>;
  readonly error?: string;
}

export const runForEach: StepExecutor = async (step, env, signal) => {
  const config = step.config;
  if (config.type !== 'forEach') return failed('not a forEach step');
  const items = collection(step, env, config);
  if (!Array.isArray(items)) return items;
  const loop = scope(signal, env.host.clock);
  const limiter = new Limiter(config.maxParallel);
  const continueOnError = config.onError.action === 'continue';
  try {
    const iterations = await Promise.all(
      items.map((item, index) => iterate({ step, config, env, loop, limiter, continueOnError }, item, index)),
    );
    const output = summary(iterations);
    const first = iterations.find((it) => it.status === 'failed');
    if (first !== undefined && !continueOnError) {
      return { kind: 'failed', error: new Error(`iteration ${first.index} failed: ${first.error ?? 'unknown error'}`), output };
    }
    if (signal.aborted) return { kind: 'failed', error: reasonOf(signal), output };
    return { kind: 'completed', output };
  } finally {
    loop.dispose();
  }
};

function collection(step: CompiledStep, env: StepEnv, config: ForEachStepConfig): unknown[] | StepOutcome {
  let items: unknown;
  try {
    const e = step.collection!.evaluate(env.state.context());
    items = e.single && Array.isArray(e.value) ? toJson(e.value) : parseArray(e.text);
  } catch (e) {
    return failed(`collection: ${message(e)}`);
  }
  if (!Array.isArray(items)) return items as StepOutcome;
  if (items.length > config.maxIterations) {
    return failed(`the collection has ${items.length} items; maxIterations is ${config.maxIterations}`);
  }
  return items;
}

function parseArray(text: string): unknown[] | StepOutcome {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {}
  return failed(`collection must resolve to a JSON array, got: ${truncate(text)}`);
}

interface Loop {
  readonly step: CompiledStep;
  readonly config: ForEachStepConfig;
  readonly env: StepEnv;
  readonly loop: ReturnType<typeof scope>;
  readonly limiter: Limiter;
  readonly continueOnError: boolean;
}

async function iterate(l: Loop, item: unknown, index: number): Promise<Iteration> {
  const { config, env } = l;
  const inner = config.step;
  try {
    return await l.limiter.run(l.loop.signal, async () => {
      const onTimeout = (): WorkflowAbort =>
        new WorkflowAbort('timeout', `iteration timed out after ${formatMs(inner.timeoutMs ?? 0)}`, 'iteration');
      const it = scope(l.loop.signal, env.host.clock, inner.timeoutMs, onTimeout);
      try {
        const context = env.state.context({ itemVar: config.itemVar, item, index });
        const plan = { tool: inner.tool, args: l.step.innerArgs, onError: inner.onError, stepId: `${config.id}[${index}]` };
        const onRetry = (attempt: number, delayMs: number, error: string): void =>
          env.emit({ type: 'step.retried', stepId: plan.stepId, stepType: 'forEach', attempt, delayMs, error });
        const outcome = await callWithRetry(plan, context, env.host, { signal: it.signal, onRetry });
        if (outcome.ok) return { index, item, status: 'completed', output: outputOf(outcome.result) };
        // Aborted from outside this iteration (another one failed, the step or workflow ended).
        const cancelled = outcome.error instanceof WorkflowAbort && outcome.error.scope !== 'iteration';
        if (!cancelled && !l.continueOnError) l.loop.abort(new WorkflowAbort('failed', `iteration ${index} failed`));
        return { index, item, status: cancelled ? 'cancelled' : 'failed', error: outcome.error.message };
      } finally {
        it.dispose();
      }
    });
  } catch (e) {
    return { index, item, status: 'cancelled', error: message(e) };
  }
}

function summary(iterations: readonly Iteration[]): Record<string, unknown> {
  const completed = iterations.filter((it) => it.status === 'completed').length;
  return {
    iterations: iterations.map((it) => ({
      index: it.index,
      item: it.item,
      status: it.status,
      output: it.output ?? null,
      ...(it.error === undefined ? {} : { error: it.error }),
    })),
    count: iterations.length,
    completed,
    failed: iterations.length - completed,
  };
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}
