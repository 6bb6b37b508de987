// The execute_tool_script result. Success: the return value as JSON text and as
// `structuredContent.result`, with the call log (`structuredContent.calls`) and any console
// lines. Failure: an `isError` result (so the model sees the message and can fix its script)
// whose text names the limit or the error, with the calls made until then.
import type { CodeModeConfig } from '../config/index.js';
import type { CallLogEntry } from './calls.js';
import type { CallToolResultJson, ContentBlock } from './host.js';
import { limitMessage, MAX_LOG_LINES } from './limits.js';
import type { ScriptError } from './protocol.js';
import type { Finished } from './script-run.js';

/** Calls listed in the text summary; the structured log has them all. */
const SUMMARY_CALLS = 20;

export function errorMessage(error: ScriptError, config: CodeModeConfig): string {
  if (error.limit !== undefined) return limitMessage(error.limit, config);
  if (error.name === 'ToolError') {
    const code = error.code === undefined ? '' : ` [${error.code}]`;
    return `uncaught ToolError from ${error.tool ?? 'a tool'}${code}: ${error.message}`;
  }
  return error.name === undefined ? error.message : `${error.name}: ${error.message}`;
}

function callSummary(calls: readonly CallLogEntry[]): string {
  const count = (status: CallLogEntry['status']): number => calls.filter((c) => c.status === status).length;
  const parts = calls
    .slice(0, SUMMARY_CALLS)
    .map((c) => `${c.tool} ${c.status} ${c.durationMs}ms${c.error === undefined ? '' : ` (${c.error})`}`);
  const more = calls.length > SUMMARY_CALLS ? `; … ${calls.length - SUMMARY_CALLS} more` : '';
  const tally = `${count('ok')} ok, ${count('error')} failed${count('cancelled') > 0 ? `, ${count('cancelled')} cancelled` : ''}`;
  return `tool calls: ${calls.length} (${tally})${calls.length > 0 ? `: ${parts.join('; ')}${more}` : ''}`;
}

function logBlock(finished: Finished): ContentBlock[] {
  if (finished.logs.length === 0) return [];
  const dropped = finished.droppedLogs > 0 ? `\n… ${finished.droppedLogs} more lines dropped (${MAX_LOG_LINES} are kept)` : '';
  return [{ type: 'text', text: `console:\n${finished.logs.join('\n')}${dropped}` }];
}

function logsField(finished: Finished): { logs?: readonly string[] } {
  return finished.logs.length === 0 ? {} : { logs: finished.logs };
}

export function scriptResult(finished: Finished, config: CodeModeConfig): CallToolResultJson {
  const { outcome, calls } = finished;
  if (outcome.ok) {
    return {
      content: [{ type: 'text', text: outcome.valueJson }, ...logBlock(finished), { type: 'text', text: callSummary(calls) }],
      structuredContent: { result: JSON.parse(outcome.valueJson) as unknown, calls, ...logsField(finished) },
    };
  }
  const message = errorMessage(outcome.error, config);
  const { name, code, tool, limit } = outcome.error;
  return {
    isError: true,
    content: [
      { type: 'text', text: `execute_tool_script failed: ${message}` },
      ...logBlock(finished),
      { type: 'text', text: callSummary(calls) },
    ],
    structuredContent: { error: { message, ...defined({ name, code, tool, limit }) }, calls, ...logsField(finished) },
  };
}

/** An error result for arguments that were refused before any script ran. */
export function argumentError(message: string): CallToolResultJson {
  return { isError: true, content: [{ type: 'text', text: `execute_tool_script: ${message}` }] };
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
