// `vmcp validate` shows each workflow as it will run: levels in order, the steps of a level
// running in parallel (at most 10 at a time), each with what it calls and what it waits for.
import type { CompositeStepConfig, CompositeToolConfig } from '../config/types-composite.js';
import { parseDuration } from '../config/duration.js';
import { COMPOSITE_DEFAULTS } from '../config/schema-composite.js';
import { executionLevels } from './dag.js';

const DEFAULT_STEP_TIMEOUT_MS = parseDuration(COMPOSITE_DEFAULTS.stepTimeout);

export interface WorkflowPlan {
  readonly name: string;
  readonly levels: readonly (readonly string[])[];
}

export function workflowPlans(tools: readonly CompositeToolConfig[]): WorkflowPlan[] {
  return tools.map((tool) => ({ name: tool.name, levels: executionLevels(tool.steps).levels }));
}

export function renderWorkflows(tools: readonly CompositeToolConfig[]): string {
  return tools.map(renderWorkflow).join('');
}

function renderWorkflow(tool: CompositeToolConfig): string {
  const { levels } = executionLevels(tool.steps);
  const byId = new Map(tool.steps.map((s) => [s.id, s]));
  const width = Math.max(...tool.steps.map((s) => s.id.length));
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `workflow ${tool.name}: ${plural(tool.steps.length, 'step')} in ${plural(levels.length, 'level')}, timeout ${formatMs(tool.timeoutMs)}`,
  ];
  levels.forEach((level, i) => {
    lines.push(`  level ${i + 1}${level.length > 1 ? ` (${level.length} in parallel)` : ''}`);
    for (const id of level) {
      const step = byId.get(id);
      if (step !== undefined) lines.push(`    ${id.padEnd(width)}  ${describeStep(step)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function describeStep(step: CompositeStepConfig): string {
  const parts = [what(step)];
  if (step.dependsOn.length > 0) parts.push(`after ${step.dependsOn.join(', ')}`);
  if (step.condition !== undefined) parts.push('[if]');
  if (step.onError.action === 'retry') parts.push(`[retry ×${step.onError.retryCount}]`);
  if (step.onError.action === 'continue') parts.push('[continue on error]');
  if (step.timeoutMs !== DEFAULT_STEP_TIMEOUT_MS) parts.push(`[timeout ${formatMs(step.timeoutMs)}]`);
  return parts.join('  ');
}

function what(step: CompositeStepConfig): string {
  switch (step.type) {
    case 'tool':
      return `tool ${step.tool}`;
    case 'elicitation':
      return `ask the user (decline: ${step.onDecline}, cancel: ${step.onCancel})`;
    case 'forEach':
      return `forEach ${step.itemVar} → tool ${step.step.tool} (${step.maxParallel} at a time, at most ${step.maxIterations})`;
  }
}

/** 1800000 → "30m", 90000 → "1m30s", 1500 → "1.5s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}` || '0s';
}
