// A scripted WorkflowHost and a manual clock for the engine tests. Tools are plain functions;
// every call, signal, event and progress update is recorded, and in-flight calls are counted so
// tests can assert the concurrency the engine allowed.
import type { Clock, ElicitRequest, ElicitResult, ToolCallResult, WorkflowEvent, WorkflowHost } from '../../../src/composite/host.js';
import { compileWorkflow } from '../../../src/composite/compile.js';
import type { CompiledWorkflow } from '../../../src/composite/compile.js';
import { normalizeCompositeTools } from '../../../src/config/normalize-composite.js';
import { compositeToolSchema } from '../../../src/config/schema-composite.js';
import { compositeToolIssues } from '../../../src/composite/validate.js';

export class ManualClock implements Clock {
  #now = 0;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  get pending(): number {
    return this.#timers.size;
  }
  /** Fire the earliest timer (moving time to it); false when none is left. */
  fireNext(): boolean {
    const next = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (next === undefined) return false;
    this.#timers.delete(next[0]);
    this.#now = Math.max(this.#now, next[1].at);
    next[1].fn();
    return true;
  }
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type ToolFn = (args: Record<string, unknown>, signal: AbortSignal, stepId: string) => ToolCallResult | Promise<ToolCallResult>;

export interface Call {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly stepId: string;
  readonly signal: AbortSignal;
}

export class FakeHost implements WorkflowHost {
  readonly clock = new ManualClock();
  readonly random = (): number => 0.5;
  readonly calls: Call[] = [];
  readonly events: WorkflowEvent[] = [];
  readonly progressUpdates: { progress: number; total: number; message: string }[] = [];
  readonly tools = new Map<string, ToolFn>();
  readonly schemas = new Map<string, Record<string, unknown>>();
  elicitation: (req: ElicitRequest, signal: AbortSignal) => ElicitResult | Promise<ElicitResult> = () => ({ action: 'cancel' });
  inFlight = 0;
  maxInFlight = 0;

  async callTool(tool: string, args: Record<string, unknown>, options: { signal: AbortSignal; stepId: string }): Promise<ToolCallResult> {
    this.calls.push({ tool, args, stepId: options.stepId, signal: options.signal });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const fn = this.tools.get(tool);
      if (fn === undefined) throw new Error(`unknown tool ${tool}`);
      return await fn(args, options.signal, options.stepId);
    } finally {
      this.inFlight--;
    }
  }
  inputSchema(tool: string): Record<string, unknown> | undefined {
    return this.schemas.get(tool);
  }
  elicit(request: ElicitRequest, options: { signal: AbortSignal }): Promise<ElicitResult> {
    return Promise.resolve(this.elicitation(request, options.signal));
  }
  progress(update: { progress: number; total: number; message: string }): void {
    this.progressUpdates.push(update);
  }
  event(event: WorkflowEvent): void {
    this.events.push(event);
  }
  eventTypes(): string[] {
    return this.events.map((e) => ('stepId' in e ? `${e.type}:${e.stepId}` : e.type));
  }
}

/** A result after a few event-loop turns, so calls started together overlap. */
export async function later(result: ToolCallResult, turns = 3): Promise<ToolCallResult> {
  for (let i = 0; i < turns; i++) await tick();
  return result;
}

/** Never settles unless the signal aborts (then rejects like an SDK call does). */
export function hang(signal: AbortSignal): Promise<ToolCallResult> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

export const text = (t: string): ToolCallResult => ({ content: [{ type: 'text', text: t }] });
export const structured = (o: Record<string, unknown>): ToolCallResult => ({
  content: [{ type: 'text', text: JSON.stringify(o) }],
  structuredContent: o,
});
export const toolError = (t: string): ToolCallResult => ({ content: [{ type: 'text', text: t }], isError: true });

/** Validate (schema + composite rules) and compile one composite tool given as a plain object. */
export function workflow(tool: Record<string, unknown>): CompiledWorkflow {
  const parsed = compositeToolSchema.parse(tool);
  const issues = compositeToolIssues({ compositeTools: [tool] }).filter((i) => i.severity === 'error');
  if (issues.length > 0) throw new Error(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return compileWorkflow(normalizeCompositeTools([parsed])[0]!);
}

/** Drive a promise to completion, firing clock timers whenever nothing else can progress. */
export async function settle<T>(clock: ManualClock, promise: Promise<T>, maxTimers = 1000): Promise<T> {
  let done = false;
  const result = promise.finally(() => {
    done = true;
  });
  for (let fired = 0, idle = 0; !done && fired <= maxTimers && idle < 200;) {
    for (let i = 0; i < 5 && !done; i++) await tick();
    if (done) break;
    if (clock.fireNext()) fired++;
    else idle++;
  }
  return result;
}
