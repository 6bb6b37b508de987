// A run as the MCP CallToolResult the client gets (ToolHive's executeComposite): the output as
// structuredContent plus its JSON as text; a failure is a tool error (isError), never a JSON-RPC
// error. Every result carries the run's per-step status and timing in _meta["vmcp/workflow"],
// which `vmcp workflow run` prints.
import type { StepStatus, ToolCallResult, WorkflowStatus } from './host.js';
import type { WorkflowRun } from './engine.js';

export const WORKFLOW_META_KEY = 'vmcp/workflow';

export interface WorkflowStepMeta {
  readonly id: string;
  readonly type: 'tool' | 'elicitation' | 'forEach';
  /** 1-based, as `vmcp validate` prints the levels. */
  readonly level: number;
  readonly status: StepStatus;
  readonly attempts: number;
  /** Milliseconds after the run started; absent for a step that never started. */
  readonly startedAtMs?: number;
  readonly durationMs?: number;
  readonly error?: string;
  readonly skipReason?: 'condition' | 'skip_remaining';
  /** forEach: how the iterations went. */
  readonly iterations?: { readonly count: number; readonly completed: number; readonly failed: number };
}

export interface WorkflowMeta {
  readonly id: string;
  readonly name: string;
  readonly status: WorkflowStatus;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly error?: string;
  readonly steps: readonly WorkflowStepMeta[];
}

export function toCallToolResult(run: WorkflowRun): ToolCallResult {
  const _meta = { [WORKFLOW_META_KEY]: workflowMeta(run) };
  if (run.status !== 'completed') {
    const text =
      run.status === 'timed_out' ? `Workflow execution timeout exceeded: ${run.error}` : `Workflow execution failed: ${run.error}`;
    return { content: [{ type: 'text', text }], isError: true, _meta };
  }
  const output = run.output ?? {};
  return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output, _meta };
}

export function workflowMeta(run: WorkflowRun): WorkflowMeta {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: run.durationMs,
    ...(run.error === undefined ? {} : { error: run.error }),
    steps: run.steps.map((r) => ({
      id: r.id,
      type: r.type,
      level: r.level + 1,
      status: r.status,
      attempts: r.attempts,
      ...(r.startedAtMs === undefined ? {} : { startedAtMs: r.startedAtMs }),
      ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
      ...(r.error === undefined ? {} : { error: r.error }),
      ...(r.skipReason === undefined ? {} : { skipReason: r.skipReason }),
      ...(r.type === 'forEach' && r.output !== undefined ? { iterations: iterationsOf(r.output) } : {}),
    })),
  };
}

function iterationsOf(output: Record<string, unknown>): WorkflowStepMeta['iterations'] {
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return { count: n(output.count), completed: n(output.completed), failed: n(output.failed) };
}
