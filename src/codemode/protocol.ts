// Messages between the gateway's thread and a sandbox worker. Everything that crosses is plain
// data (strings, numbers, JSON text): the sandbox never holds a reference to a host object.
import type { LimitName } from './limits.js';

/** What the worker enforces itself; the time limits are enforced by the gateway's thread. */
export interface SandboxLimits {
  readonly stepLimit: number;
  readonly memoryLimitBytes: number;
  readonly stackLimitBytes: number;
  readonly parallelMaxConcurrency: number;
  readonly maxToolCalls: number;
  readonly maxPendingCalls: number;
  readonly maxResultBytes: number;
  readonly maxLogLines: number;
  readonly maxLogLineChars: number;
}

/** One property of the script's `tools` object: `key` is what the script writes, `name` the tool. */
export interface ToolBinding {
  readonly key: string;
  readonly name: string;
}

export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly script: string;
  readonly dataJson: string;
  readonly tools: readonly ToolBinding[];
  readonly limits: SandboxLimits;
}

/** The answer to one CallRequest: JSON of a ToolReply. */
export interface CallReply {
  readonly type: 'reply';
  readonly runId: number;
  readonly callId: number;
  readonly json: string;
}

/** Ends the run now (cancelled, timed out): also signalled through the shared control word. */
export interface StopRequest {
  readonly type: 'stop';
  readonly runId: number;
  readonly reason: StopReason;
}

export type ToMessage = RunRequest | CallReply | StopRequest;

export interface ReadyMessage {
  readonly type: 'ready';
}

export interface CallRequest {
  readonly type: 'call';
  readonly runId: number;
  readonly callId: number;
  readonly name: string;
  readonly argsJson: string;
}

export interface DoneMessage {
  readonly type: 'done';
  readonly runId: number;
  readonly outcome: RunOutcome;
  readonly logs: readonly string[];
  readonly droppedLogs: number;
}

export type FromMessage = ReadyMessage | CallRequest | DoneMessage;

/** What a tool call looks like from inside the script. */
export type ToolReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: { readonly message: string; readonly code: string | number } };

export interface ScriptError {
  readonly message: string;
  /** The JavaScript error's name (TypeError, ToolError, …) when the script threw. */
  readonly name?: string;
  readonly code?: string | number;
  readonly tool?: string;
  /** Set when a limit ended the script. */
  readonly limit?: LimitName;
}

export type RunOutcome = { readonly ok: true; readonly valueJson: string } | { readonly ok: false; readonly error: ScriptError };

/** Why the gateway stopped a run; index + 1 is the value of the shared control word. */
export const STOP_REASONS = ['cancelled', 'scriptTimeout'] as const;
export type StopReason = (typeof STOP_REASONS)[number];
