// One tool call of a step (or of a forEach iteration): arguments rendered and coerced to the
// tool's input schema, then attempts with retries. Backoff is ToolHive's (cenkalti/backoff with
// InitialInterval = retryDelay): ×1.5 per retry, ±50% jitter, at most 60× retryDelay.
import type { StepErrorHandling } from '../config/types-composite.js';
import { coerceArguments, Rendered } from './coerce.js';
import type { ArgTree } from './compile.js';
import type { ToolCallResult, WorkflowHost } from './host.js';
import { errorMessageOf } from './results.js';
import { race, sleep, WorkflowAbort } from './signals.js';
import { Template } from './template/template.js';
import type { TemplateValue } from './template/values.js';

export const BACKOFF_MULTIPLIER = 1.5;
export const BACKOFF_JITTER = 0.5;
export const BACKOFF_CAP_FACTOR = 60;

export interface CallPlan {
  readonly tool: string;
  readonly args: ArgTree | undefined;
  readonly onError: StepErrorHandling;
  readonly stepId: string;
}

export interface CallHooks {
  readonly signal: AbortSignal;
  /** Called before each retry wait. */
  readonly onRetry: (attempt: number, delayMs: number, error: string) => void;
}

export type CallOutcome =
  | { readonly ok: true; readonly result: ToolCallResult; readonly attempts: number }
  | { readonly ok: false; readonly error: Error; readonly attempts: number };

/** Renders, coerces and calls; never throws (an abort comes back as a failed outcome). */
export async function callWithRetry(plan: CallPlan, context: TemplateValue, host: WorkflowHost, hooks: CallHooks): Promise<CallOutcome> {
  let args: Record<string, unknown>;
  try {
    args = coerceArguments(expandArgs(plan.args ?? {}, context) as Record<string, unknown>, host.inputSchema(plan.tool));
  } catch (e) {
    return { ok: false, error: new Error(`arguments: ${message(e)}`), attempts: 0 };
  }
  const maxAttempts = plan.onError.action === 'retry' ? plan.onError.retryCount + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(plan, args, host, hooks.signal);
    if (outcome.ok) return { ...outcome, attempts: attempt };
    const { error } = outcome;
    if (attempt >= maxAttempts || hooks.signal.aborted || error instanceof WorkflowAbort) return { ok: false, error, attempts: attempt };
    const delayMs = backoffDelay(attempt - 1, plan.onError.retryDelayMs, host.random ?? Math.random);
    hooks.onRetry(attempt, delayMs, error.message);
    try {
      await sleep(delayMs, host.clock, hooks.signal);
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e : new Error(message(e)), attempts: attempt };
    }
  }
}

type Attempt = { readonly ok: true; readonly result: ToolCallResult } | { readonly ok: false; readonly error: Error };

async function attemptOnce(plan: CallPlan, args: Record<string, unknown>, host: WorkflowHost, signal: AbortSignal): Promise<Attempt> {
  try {
    const result = await race(
      Promise.resolve().then(() => host.callTool(plan.tool, args, { signal, stepId: plan.stepId })),
      signal,
    );
    if (result.isError === true) return { ok: false, error: new Error(`tool ${plan.tool} failed: ${errorMessageOf(result)}`) };
    return { ok: true, result };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e : new Error(message(e)) };
  }
}

/** The delay before retry number `retry` (0-based). */
export function backoffDelay(retry: number, baseMs: number, random: () => number): number {
  const interval = Math.min(baseMs * BACKOFF_MULTIPLIER ** retry, baseMs * BACKOFF_CAP_FACTOR);
  const jitter = 1 + BACKOFF_JITTER * (2 * random() - 1);
  return Math.round(interval * jitter);
}

/** Every template in the tree rendered (structure kept; see coerce.ts for the typing). */
export function expandArgs(tree: ArgTree, context: TemplateValue): unknown {
  if (tree instanceof Template) {
    const e = tree.evaluate(context);
    return new Rendered(e.text, e.value, e.single);
  }
  if (Array.isArray(tree)) return tree.map((t: ArgTree) => expandArgs(t, context));
  if (typeof tree === 'object' && tree !== null) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, expandArgs(v as ArgTree, context)]));
  }
  return tree;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
