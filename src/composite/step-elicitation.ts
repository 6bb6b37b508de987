// An elicitation step: ask the calling client's user (MCP elicitation/create) and record the
// answer as the step's output {action, content} (ToolHive: .steps.<id>.output.action /
// .output.content.<field>; .steps.<id>.content is the answer too). Decline and cancel follow
// onDecline/onCancel; a step timeout counts as cancel, as in ToolHive.
import type { ElicitationResponseAction } from '../config/types-composite.js';
import type { ElicitResult } from './host.js';
import { race, WorkflowAbort } from './signals.js';
import { failed } from './step-env.js';
import type { StepExecutor, StepOutcome } from './step-env.js';
import { nestingDepth } from './validate-steps.js';
import { message } from './tool-call.js';
import { formatMs } from './render-dag.js';

/** ToolHive's bounds on an answer (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/composer/elicitation_handler.go). */
export const MAX_ANSWER_BYTES = 1024 * 1024;
export const MAX_ANSWER_DEPTH = 10;

export const runElicitation: StepExecutor = async (step, env, signal) => {
  const config = step.config;
  if (config.type !== 'elicitation' || step.message === undefined) return failed('not an elicitation step');
  let text: string;
  try {
    text = step.message.render(env.state.context());
  } catch (e) {
    return failed(`message: ${message(e)}`);
  }
  let answer: ElicitResult;
  try {
    const request = { message: text, requestedSchema: config.schema };
    answer = await race(
      Promise.resolve().then(() => env.host.elicit(request, { signal, stepId: config.id })),
      signal,
    );
  } catch (e) {
    const timedOut = e instanceof WorkflowAbort && e.kind === 'timeout' && e.scope === 'step';
    if (!timedOut) return failed(e instanceof Error ? e : new Error(message(e)));
    return respond(config.onCancel, 'cancel', `the user did not answer within ${formatMs(config.timeoutMs)}`, env.state);
  }
  if (answer.action === 'accept') return accepted(answer);
  if (answer.action === 'decline')
    return respond(config.onDecline, 'decline', `the user declined elicitation step "${config.id}"`, env.state);
  if (answer.action === 'cancel')
    return respond(config.onCancel, 'cancel', `the user cancelled elicitation step "${config.id}"`, env.state);
  return failed(`invalid elicitation answer action ${JSON.stringify((answer as { action: unknown }).action)}`);
};

function accepted(answer: ElicitResult): StepOutcome {
  const content = answer.content ?? {};
  const bytes = Buffer.byteLength(JSON.stringify(content));
  if (bytes > MAX_ANSWER_BYTES) return failed(`the answer is ${bytes} bytes; the limit is ${MAX_ANSWER_BYTES} (1 MB)`);
  if (nestingDepth(content) > MAX_ANSWER_DEPTH) return failed(`the answer nests deeper than ${MAX_ANSWER_DEPTH} levels`);
  return { kind: 'completed', output: { action: 'accept', content }, content: { ...content } };
}

function respond(
  action: ElicitationResponseAction,
  reason: 'decline' | 'cancel',
  why: string,
  state: { skipRemaining: boolean },
): StepOutcome {
  if (action === 'abort') return failed(why);
  if (action === 'continue') return { kind: 'completed', output: { action: reason } };
  state.skipRemaining = true;
  return { kind: 'completed', output: { action: reason, skipped: true } };
}
