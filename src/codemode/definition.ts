// The execute_tool_script tool as tools/list shows it: a description that explains the calling
// conventions and declares the caller's tools in TypeScript, an input schema with a worked
// example (ToolHive shows one too: models copy conventions better than they follow prose), and
// an output schema for the structured result.
import type { CodeModeConfig } from '../config/index.js';
import { toolBindings } from './bindings.js';
import { declarations } from './declarations.js';
import type { JsonSchema, ToolDefinition } from './host.js';
import { formatBytes, formatMs } from './limits.js';
import { EXECUTE_TOOL_SCRIPT } from './reserved.js';

const EXAMPLE = `const repos = data.repos;
const results = await parallel(repos.map((repo) => () => tools.github_list_issues({ repo, state: 'open' })));
const counts = repos.map((repo, i) => ({ repo, open: results[i].length }));
return counts.sort((a, b) => b.open - a.open);`;

function header(config: CodeModeConfig): string {
  return [
    'Run a JavaScript (ES2023) script that calls tools and returns one result, instead of calling the tools one by one:',
    'intermediate results stay inside the script. The script is the body of an async function: `await` tool calls and',
    '`return` a JSON-serialisable value, which becomes the result (with a log of the calls made).',
    "Call a tool as `await tools.name(args)`: it resolves to the tool's structured content, else its text (parsed when JSON).",
    'A failed or denied call throws a ToolError with `message`, `code` and `tool`; catch it to carry on.',
    `\`await parallel([() => tools.a(x), () => tools.b(y)])\` runs up to ${config.parallelMaxConcurrency} calls at once, results in order.`,
    'The `data` argument is readable as `data` (read-only); console.log lines come back with the result.',
    'There are no timers, imports, network, files or Node.js APIs.',
    `Limits: ${config.stepLimit} steps, ${formatMs(config.scriptTimeoutMs)} per script, ${formatMs(config.toolCallTimeoutMs)} per call,`,
    `${config.maxToolCalls} calls, ${formatBytes(config.memoryLimitBytes)} of memory, ${formatBytes(config.maxResultBytes)} of result.`,
  ].join(' ');
}

const INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    script: {
      type: 'string',
      description: 'JavaScript, the body of an async function: call tools with await tools.<name>(args) and return the result.',
      examples: [EXAMPLE],
    },
    data: {
      type: 'object',
      description: 'Values the script reads as `data` (read-only); pass inputs here rather than pasting them into the script.',
      additionalProperties: true,
    },
  },
  required: ['script'],
  additionalProperties: false,
  examples: [{ script: EXAMPLE, data: { repos: ['octo/app', 'octo/api'] } }],
};

const OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    result: { description: "The script's return value." },
    calls: {
      type: 'array',
      description: 'The tool calls the script made, in the order they finished.',
      items: {
        type: 'object',
        properties: {
          tool: { type: 'string' },
          status: { type: 'string', enum: ['ok', 'error', 'cancelled'] },
          durationMs: { type: 'number' },
          error: { type: 'string' },
          code: { type: ['string', 'number'] },
        },
        required: ['tool', 'status', 'durationMs'],
      },
    },
    logs: { type: 'array', items: { type: 'string' }, description: 'console output of the script.' },
  },
  required: ['result', 'calls'],
};

/** The tool definition for a caller whose callable tools are `tools` (execute_tool_script excluded). */
export function codeModeTool(tools: readonly ToolDefinition[], config: CodeModeConfig): ToolDefinition {
  const description = `${header(config)}\n\n\`\`\`ts\n${declarations(tools, toolBindings(tools))}\n\`\`\``;
  return {
    name: EXECUTE_TOOL_SCRIPT,
    title: 'Run a tool script',
    description,
    inputSchema: INPUT_SCHEMA,
    outputSchema: OUTPUT_SCHEMA,
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  };
}
