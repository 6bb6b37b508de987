// What a tool call looks like from inside a script: the structured content if the tool gave
// one, else its first text block (parsed when it is JSON), else the content blocks themselves.
// An error result or a thrown error becomes a ToolError with a message and a code.
import type { CallToolResultJson, ContentBlock } from './host.js';
import type { ToolReply } from './protocol.js';

/** Code of a ToolError for an `isError: true` result (the tool itself reported failure). */
export const TOOL_ERROR = 'TOOL_ERROR';
/** Code of a ToolError for a call that passed codeMode.toolCallTimeout. */
export const TOOL_CALL_TIMEOUT = 'TOOL_CALL_TIMEOUT';
/** Code of a ToolError for a result larger than the sandbox's memory (codeMode.memoryLimit). */
export const TOOL_RESULT_TOO_LARGE = 'TOOL_RESULT_TOO_LARGE';
/** Code of a ToolError for a failure without a code of its own. */
export const TOOL_CALL_FAILED = 'TOOL_CALL_FAILED';

function firstText(content: readonly ContentBlock[] | undefined): string | undefined {
  return content?.find((block) => block.type === 'text' && typeof block.text === 'string')?.text;
}

export function replyOfResult(result: CallToolResultJson): ToolReply {
  if (result.isError === true) {
    return { ok: false, error: { message: firstText(result.content) ?? 'the tool reported an error', code: TOOL_ERROR } };
  }
  if (result.structuredContent !== undefined) return { ok: true, value: result.structuredContent };
  const text = firstText(result.content);
  if (text === undefined) return { ok: true, value: result.content ?? [] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: true, value: text };
  }
}

export function replyOfError(err: unknown): ToolReply {
  const message = err instanceof Error ? err.message : String(err);
  const own = (err as { code?: unknown } | null)?.code;
  const code = typeof own === 'string' || typeof own === 'number' ? own : TOOL_CALL_FAILED;
  return { ok: false, error: { message, code } };
}
