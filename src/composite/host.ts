// The one seam between the workflow engine and the gateway. The engine knows nothing of
// backends, sessions or the catalog: it asks the host to call a tool, to ask the user, to report
// progress and to record events, and reads time from the host's clock. The gateway implements
// this on its request chain, so every inner call is routed, authorized, metered and audited like
// a client's own call (docs/composite-tools.md, "In the gateway").
import type { JsonObject } from '../config/types-composite.js';

/** The shape of an MCP CallToolResult, as JSON. */
export interface ToolCallResult {
  readonly content?: readonly ContentItem[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly _meta?: JsonObject;
  readonly [extra: string]: unknown;
}

export interface ContentItem {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly resource?: { readonly uri?: string; readonly text?: string; readonly blob?: string };
  readonly [extra: string]: unknown;
}

export interface CallOptions {
  /** Aborted when the step times out, the workflow times out or fails, or the client cancels. */
  readonly signal: AbortSignal;
  /** The step making the call (`loop[3]` for the fourth forEach iteration), for logs and audit. */
  readonly stepId: string;
}

export interface ElicitRequest {
  readonly message: string;
  readonly requestedSchema: JsonObject;
}

export interface ElicitResult {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: JsonObject;
}

export interface ProgressUpdate {
  /** Steps finished so far (completed, failed or skipped); never decreases. */
  readonly progress: number;
  readonly total: number;
  readonly message: string;
}

/** Time for every timeout and retry delay, so tests run them on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface WorkflowHost {
  /**
   * Call a backend tool by the reference the step names: an advertised name, `workload.tool`
   * (the backend's own name) or a bare backend tool name; hidden tools included
   * (resolveToolReference in tool-ref.ts does the lookup). Tool errors come back as a result
   * with isError; a thrown error is a failed call too. Both may be retried by the step.
   */
  callTool(tool: string, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult>;
  /** The input schema of the tool a step names (undefined when unknown: arguments stay text). */
  inputSchema(tool: string): JsonObject | undefined;
  /** Ask the calling client's user (MCP elicitation/create); throw when the client cannot. */
  elicit(request: ElicitRequest, options: CallOptions): Promise<ElicitResult>;
  /** Called once per finished step; the host sends it only if the client asked for progress. */
  progress(update: ProgressUpdate): void;
  /** Audit and metrics. Never carries arguments, results or answers (they may hold secrets). */
  event(event: WorkflowEvent): void;
  readonly clock: Clock;
  /** Retry jitter in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export type WorkflowStatus = 'completed' | 'failed' | 'timed_out' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

interface EventBase {
  readonly workflowId: string;
  readonly workflow: string;
}

interface StepEventBase extends EventBase {
  readonly stepId: string;
  readonly stepType: 'tool' | 'elicitation' | 'forEach';
}

export type WorkflowEvent =
  | (EventBase & { readonly type: 'workflow.started'; readonly steps: number; readonly timeoutMs: number })
  | (EventBase & { readonly type: 'workflow.completed'; readonly durationMs: number })
  | (EventBase & {
      readonly type: 'workflow.failed';
      readonly status: Exclude<WorkflowStatus, 'completed'>;
      readonly durationMs: number;
      readonly error: string;
    })
  | (StepEventBase & { readonly type: 'step.started'; readonly tool?: string })
  | (StepEventBase & { readonly type: 'step.skipped'; readonly reason: 'condition' | 'skip_remaining' })
  | (StepEventBase & { readonly type: 'step.completed'; readonly durationMs: number; readonly attempts: number })
  | (StepEventBase & {
      readonly type: 'step.failed';
      readonly durationMs: number;
      readonly attempts: number;
      readonly error: string;
      /** onError continue: the workflow goes on. */
      readonly continued: boolean;
    })
  | (StepEventBase & { readonly type: 'step.retried'; readonly attempt: number; readonly delayMs: number; readonly error: string });
