// Running one step: skipped after skip_remaining or by its condition (output = defaultResults),
// otherwise executed under its own timeout; a failure then follows onError — continue records it
// (output = defaultResults) and goes on, abort fails the workflow. A step aborted from outside
// (another step failed, the workflow timed out, the client cancelled) is recorded as cancelled.
import type { CompiledStep } from './compile.js';
import { outputOf, contentToMap } from './results.js';
import { formatMs } from './render-dag.js';
import { scope, WorkflowAbort } from './signals.js';
import type { StepEnv, StepExecutor, StepOutcome } from './step-env.js';
import { failed } from './step-env.js';
import { runElicitation } from './step-elicitation.js';
import { runForEach } from './step-foreach.js';
import type { StepRecord } from './state.js';
import { callWithRetry, message } from './tool-call.js';

const runTool: StepExecutor = async (step, env, signal) => {
  const config = step.config;
  if (config.type !== 'tool') return failed('not a tool step');
  const plan = { tool: config.tool, args: step.args, onError: config.onError, stepId: config.id };
  const onRetry = (attempt: number, delayMs: number, error: string): void =>
    env.emit({ type: 'step.retried', stepId: config.id, stepType: 'tool', attempt, delayMs, error });
  const outcome = await callWithRetry(plan, env.state.context(), env.host, { signal, onRetry });
  if (!outcome.ok) return failed(outcome.error, outcome.attempts);
  return { kind: 'completed', output: outputOf(outcome.result), content: contentToMap(outcome.result.content), attempts: outcome.attempts };
};

const EXECUTORS: Readonly<Record<CompiledStep['config']['type'], StepExecutor>> = {
  tool: runTool,
  elicitation: runElicitation,
  forEach: runForEach,
};

/** Resolves when the step is finished; throws a WorkflowAbort when the workflow must stop. */
export async function runStep(step: CompiledStep, env: StepEnv, parent: AbortSignal): Promise<void> {
  const config = step.config;
  const record = env.state.record(config.id);
  const base = { stepId: config.id, stepType: config.type } as const;
  if (env.state.skipRemaining) return skip(record, step, env, 'skip_remaining');
  record.status = 'running';
  record.startedAtMs = env.state.elapsed();
  env.emit({ ...base, type: 'step.started', ...(config.type === 'tool' ? { tool: config.tool } : {}) });
  const decided = condition(step, env);
  if (decided === false) return skip(record, step, env, 'condition');
  const timeout = (): WorkflowAbort =>
    new WorkflowAbort('timeout', `step "${config.id}" timed out after ${formatMs(config.timeoutMs)}`, 'step');
  const own = scope(parent, env.host.clock, config.timeoutMs, timeout);
  let outcome: StepOutcome;
  try {
    outcome = decided instanceof Error ? failed(decided) : await EXECUTORS[config.type](step, env, own.signal);
  } catch (e) {
    outcome = failed(e instanceof Error ? e : new Error(message(e)));
  } finally {
    own.dispose();
  }
  finish(record, step, env, outcome, parent);
}

/** true/false, or the error when the condition cannot be evaluated (ToolHive: "true"/"false" in any case). */
function condition(step: CompiledStep, env: StepEnv): boolean | Error {
  if (step.condition === undefined) return true;
  try {
    const e = step.condition.evaluate(env.state.context());
    if (e.single && typeof e.value === 'boolean') return e.value;
    const text = e.text.trim().toLowerCase();
    if (text === 'true' || text === 'false') return text === 'true';
    return new Error(`condition must render true or false, got ${JSON.stringify(e.text.slice(0, 100))}`);
  } catch (err) {
    return new Error(`condition: ${message(err)}`);
  }
}

function skip(record: StepRecord, step: CompiledStep, env: StepEnv, reason: 'condition' | 'skip_remaining'): void {
  record.status = 'skipped';
  record.skipReason = reason;
  record.output = { ...(step.config.defaultResults ?? {}) };
  if (record.startedAtMs !== undefined) record.durationMs = env.state.elapsed() - record.startedAtMs;
  env.emit({ type: 'step.skipped', stepId: step.config.id, stepType: step.config.type, reason });
  progress(env, step.config.id, 'skipped');
}

function finish(record: StepRecord, step: CompiledStep, env: StepEnv, outcome: StepOutcome, parent: AbortSignal): void {
  const config = step.config;
  const base = { stepId: config.id, stepType: config.type } as const;
  record.durationMs = env.state.elapsed() - (record.startedAtMs ?? 0);
  record.attempts = outcome.attempts ?? (config.type === 'tool' ? 0 : 1);
  if (outcome.kind === 'completed') {
    Object.assign(record, { status: 'completed', output: outcome.output, content: outcome.content ?? {} });
    env.emit({ ...base, type: 'step.completed', durationMs: record.durationMs, attempts: record.attempts });
    return progress(env, config.id, 'completed');
  }
  if (outcome.output !== undefined) record.output = outcome.output;
  record.error = outcome.error.message;
  if (parent.aborted) {
    record.status = 'cancelled';
    throw parent.reason instanceof WorkflowAbort ? parent.reason : new WorkflowAbort('cancelled', 'cancelled');
  }
  record.status = 'failed';
  const continued = config.onError.action === 'continue';
  env.emit({ ...base, type: 'step.failed', durationMs: record.durationMs, attempts: record.attempts, error: record.error, continued });
  progress(env, config.id, 'failed');
  if (!continued) throw new WorkflowAbort('failed', `step "${config.id}" failed: ${record.error}`);
  if (config.defaultResults !== undefined) record.output = { ...config.defaultResults };
}

function progress(env: StepEnv, id: string, status: string): void {
  const records = [...env.state.records.values()];
  const done = records.filter((r) => r.status === 'completed' || r.status === 'failed' || r.status === 'skipped').length;
  try {
    env.host.progress({ progress: done, total: records.length, message: `step ${id} ${status}` });
  } catch {}
}
