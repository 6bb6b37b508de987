// Every bound of code mode, with the error that names it. The configurable ones come from
// `codeMode:` (config/schema-codemode.ts); the fixed ones are here, documented in docs/code-mode.md.
import type { CodeModeConfig } from '../config/index.js';

export type LimitName =
  | 'stepLimit'
  | 'scriptTimeout'
  | 'memoryLimit'
  | 'stackLimit'
  | 'toolCallTimeout'
  | 'maxToolCalls'
  | 'maxPendingCalls'
  | 'maxResultSize'
  | 'sandboxQueue'
  | 'sandboxWait';

/**
 * The sandbox's own stack. QuickJS checks it; WebAssembly frames also use the thread's native
 * stack, which must run out later than QuickJS's check or the interpreter is left half-way
 * through an operation. Measured: the native stack needs up to 64 times the QuickJS stack
 * (deeply nested literals in the parser, JSON.stringify of nested arrays), hence the pair.
 * 256 KiB is about 1,300 nested JavaScript calls.
 */
export const STACK_LIMIT_BYTES = 256 * 1024;
export const WORKER_STACK_MB = 16;
/** The worker's own JavaScript heap (messages and JSON text; the sandbox heap is separate). */
export const WORKER_HEAP_MB = 256;
/** console.* lines kept per script, and characters per line. */
export const MAX_LOG_LINES = 100;
export const MAX_LOG_LINE_CHARS = 1000;
/** Scripts that may wait for a free sandbox; one more is refused at once. */
export const SANDBOX_QUEUE_LIMIT = 64;
/** How long a worker told to stop may take before it is terminated and replaced. */
export const STOP_GRACE_MS = 1000;
/** QuickJS calls the interrupt handler once every this many steps (JS_INTERRUPT_COUNTER_INIT). */
export const STEPS_PER_INTERRUPT = 10_000;

export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The message a script ends with when `limit` stops it. */
export function limitMessage(limit: LimitName, config: CodeModeConfig): string {
  switch (limit) {
    case 'stepLimit':
      return `step limit exceeded: the script ran more than ${config.stepLimit} steps (codeMode.stepLimit)`;
    case 'scriptTimeout':
      return `script timeout exceeded: the script ran longer than ${formatMs(config.scriptTimeoutMs)} (codeMode.scriptTimeout)`;
    case 'memoryLimit':
      return `memory limit exceeded: the script needed more than ${formatBytes(config.memoryLimitBytes)} (codeMode.memoryLimit)`;
    case 'stackLimit':
      return `stack limit exceeded: calls or values nested too deeply for the ${formatBytes(STACK_LIMIT_BYTES)} sandbox stack`;
    case 'toolCallTimeout':
      return `tool call timeout exceeded: a tool call took longer than ${formatMs(config.toolCallTimeoutMs)} (codeMode.toolCallTimeout)`;
    case 'maxToolCalls':
      return `tool call limit exceeded: the script made more than ${config.maxToolCalls} tool calls (codeMode.maxToolCalls)`;
    case 'maxPendingCalls':
      return (
        `pending call limit exceeded: more than ${config.maxPendingCalls} tool calls started and not settled ` +
        '(codeMode.maxPendingCalls); fan out with parallel(), which starts them as slots free up'
      );
    case 'maxResultSize':
      return `result size limit exceeded: the result is larger than ${formatBytes(config.maxResultBytes)} of JSON (codeMode.maxResultSize)`;
    case 'sandboxQueue':
      return `code mode is busy: ${SANDBOX_QUEUE_LIMIT} scripts already wait for a sandbox (the queue limit; ${config.workers} run at once, codeMode.workers)`;
    case 'sandboxWait':
      return `code mode is busy: no sandbox became free within ${formatMs(config.scriptTimeoutMs)} (codeMode.scriptTimeout; ${config.workers} scripts run at once, codeMode.workers)`;
  }
}

/**
 * The execute_tool_script description stops declaring tools past this many characters (about
 * 6,000 tokens) and points to find_tool instead; every tool stays callable.
 */
export const DESCRIPTION_LIMIT_CHARS = 24_000;
