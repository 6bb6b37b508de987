// The workflow engine's host on the request chain. Each step's tool call is an inner call through
// the whole chain as the caller (ctx.calls), so authorization, per-user credentials, health gates,
// rate limits, metrics, traces and audit apply to every step as to a call the client made.
// Questions go to the calling client through its sink: on a 2025-era session as an
// elicitation/create on the call's stream; for a 2026-07-28 request the edge's input bridge turns
// the same request into an input_required result and the client's retry into the answer (the run
// waits, bound to the principal, until the bridge's TTL).
import { systemClock, type CallOptions, type ElicitRequest, type ElicitResult, type ProgressUpdate } from '../composite/host.js';
import type { ToolCallResult, WorkflowEvent as EngineEvent, WorkflowHost } from '../composite/host.js';
import { channels, publish, type WorkflowEvent } from '../observability/channels.js';
import type { CallSink, JsonObject } from '../protocol/index.js';
import type { InnerCalls, RequestContext, ResolvedCall } from '../routing/context.js';
import { subjectsOf } from './audit/call-event.js';
import type { StepTools } from './composite-tools.js';

export class ChainWorkflowHost implements WorkflowHost {
  readonly clock = systemClock;
  readonly #call: ResolvedCall;
  readonly #calls: InnerCalls;
  readonly #tools: StepTools;
  readonly #stepSink: CallSink;
  readonly #origin: object;

  /** `origin` names the gateway on the workflow channel (its GatewayEvents). */
  constructor(call: ResolvedCall, calls: InnerCalls, tools: StepTools, origin: object) {
    this.#origin = origin;
    this.#call = call;
    this.#calls = calls;
    this.#tools = tools;
    this.#stepSink = withoutProgress(call.ctx.sink);
  }

  async callTool(ref: string, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult> {
    const found = this.#tools.resolve(ref);
    if (found.kind === 'unknown') return toolError(`no backend tool "${ref}"`);
    if (found.kind === 'ambiguous') return toolError(`"${ref}" is offered by ${found.backends.join(', ')}: name it as backend.tool`);
    const { name, backend, originalName } = found.tool;
    const ctx = this.#innerContext(options.signal, options.stepId);
    const result =
      name === undefined
        ? await this.#calls.callBackendTool(backend, originalName, args as JsonObject, ctx)
        : await this.#calls.callTool(name, args as JsonObject, ctx);
    return result as ToolCallResult;
  }

  inputSchema(ref: string): JsonObject | undefined {
    const found = this.#tools.resolve(ref);
    return found.kind === 'found' ? found.tool.inputSchema : undefined;
  }

  async elicit(request: ElicitRequest, options: CallOptions): Promise<ElicitResult> {
    const params = { message: request.message, requestedSchema: request.requestedSchema };
    const answer = await this.#call.ctx.sink.request({ method: 'elicitation/create', params }, options.signal);
    return answer as unknown as ElicitResult;
  }

  progress(update: ProgressUpdate): void {
    this.#call.ctx.sink.progress?.({ progress: update.progress, total: update.total, message: update.message });
  }

  event(event: EngineEvent): void {
    if (!channels.workflow.hasSubscribers) return;
    const { session, principal } = this.#call.ctx;
    publish<WorkflowEvent>(channels.workflow, {
      ...channelEvent(event, this.#origin, session.id),
      subjects: subjectsOf(principal, session.clientInfo),
    });
  }

  /**
   * The caller's context with the composite call as parent, the step's id (for traces and audit)
   * and the step's signal (its timeout, the workflow's, the client's cancellation: the connector
   * then cancels at the backend). The client's Mcp-Param-* headers and a 2026-07-28 retry's fields belong to the composite call,
   * and so does the progress token: the workflow reports progress per step itself.
   */
  #innerContext(signal: AbortSignal, step: string): RequestContext {
    const { retry: _retry, mcpParams: _params, calls: _calls, ...ctx } = this.#call.ctx;
    return { ...ctx, signal: AbortSignal.any([ctx.signal, signal]), sink: this.#stepSink, parent: this.#call, step };
  }
}

function withoutProgress(sink: CallSink): CallSink {
  if (sink.progress === undefined) return sink;
  return { sessionId: sink.sessionId, request: (r, s) => sink.request(r, s), notify: (n) => sink.notify(n) };
}

function toolError(text: string): ToolCallResult {
  return { content: [{ type: 'text', text }], isError: true };
}

const EVENT_NAMES: Record<EngineEvent['type'], WorkflowEvent['event']> = {
  'workflow.started': 'started',
  'workflow.completed': 'completed',
  'workflow.failed': 'failed',
  'step.started': 'step_started',
  'step.skipped': 'step_skipped',
  'step.completed': 'step_completed',
  'step.failed': 'step_failed',
  'step.retried': 'step_retried',
};

/** The channel's event: names, timings and errors only (never arguments, results or answers). */
export function channelEvent(e: EngineEvent, origin: object, sessionId: string): WorkflowEvent {
  const out: WorkflowEvent = { origin, workflow: e.workflow, workflowId: e.workflowId, event: EVENT_NAMES[e.type], sessionId };
  if ('stepId' in e) Object.assign(out, { step: e.stepId, stepType: e.stepType });
  if ('durationMs' in e) out.durationMs = e.durationMs;
  if ('error' in e) out.error = e.error;
  switch (e.type) {
    case 'workflow.started':
      return { ...out, stepCount: e.steps, timeoutMs: e.timeoutMs };
    case 'workflow.completed':
      return { ...out, status: 'completed' };
    case 'workflow.failed':
      return { ...out, status: e.status };
    case 'step.started':
      return e.tool === undefined ? out : { ...out, tool: e.tool };
    case 'step.skipped':
      return { ...out, reason: e.reason };
    case 'step.completed':
      return { ...out, attempts: e.attempts };
    case 'step.failed':
      return { ...out, attempts: e.attempts, continued: e.continued };
    case 'step.retried':
      return { ...out, attempts: e.attempt };
  }
}
