// Public surface of codemode/: the execute_tool_script virtual tool. The gateway builds one
// CodeMode from `config.codeMode`, checks the catalog with assertNoReservedToolName, adds
// `definition(view)` to each caller's tools/list and answers its calls with `execute()`.
export { CodeMode } from './executor.js';
export type { ExecuteOptions } from './executor.js';
export { assertNoReservedToolName, EXECUTE_TOOL_SCRIPT } from './reserved.js';
export type { AdvertisedTool } from './reserved.js';
export type { CallToolResultJson, CodeModeHost, ContentBlock, InnerCallOptions, JsonSchema, ToolDefinition } from './host.js';
export type { CallLogEntry, CallStatus } from './calls.js';
export type { LimitName } from './limits.js';
export { TOOL_CALL_FAILED, TOOL_CALL_TIMEOUT, TOOL_ERROR, TOOL_RESULT_TOO_LARGE } from './tool-value.js';
