// The two meta-tools clients see instead of the catalog, with ToolHive's names, descriptions and
// input schemas (pkg/vmcp/session/optimizerdec/decorator.go, optimizer.go FindToolInput and
// CallToolInput), so an agent prompt written for one gateway works with the other.
import type { OptimizerConfig } from '../config/index.js';
import type { ToolDefinition } from './tool-definition.js';

export const FIND_TOOL = 'find_tool';
export const CALL_TOOL = 'call_tool';
export const META_TOOL_NAMES: ReadonlySet<string> = new Set([FIND_TOOL, CALL_TOOL]);

export const DEFAULT_FIND_TOOL_DESCRIPTION =
  "Find and return tools that can help accomplish the user's request. " +
  'This searches available MCP server tools using semantic and keyword-based matching. ' +
  'Use this function when you need to: ' +
  '(1) discover what tools are available for a specific task, ' +
  '(2) find the right tool(s) before attempting to solve a problem, ' +
  '(3) check if required functionality exists in the current environment. ' +
  'Returns matching tools ranked by relevance including their names, descriptions, ' +
  'required parameters and schemas, plus token efficiency metrics showing ' +
  'baseline_tokens, returned_tokens, and savings_percent. ' +
  'Always call this before call_tool to discover the correct tool name and parameter schema.';

export const CALL_TOOL_DESCRIPTION =
  'Execute a specific tool with the provided parameters. ' +
  'Use this function to run a tool after identifying it with find_tool. ' +
  'Important: always use find_tool first to get the correct tool_name ' +
  'and parameter schema before calling this function.';

const FIND_TOOL_INPUT = {
  type: 'object',
  properties: {
    tool_description: {
      type: 'string',
      description:
        "Description of the task or capability needed (e.g. 'web search', 'analyze CSV file', 'send an email'). " +
        'This is used for semantic similarity matching against available tools.',
    },
    tool_keywords: {
      type: 'array',
      items: { type: 'string' },
      description:
        "Optional keywords driving the BM25 keyword-search arm (e.g. ['list', 'issues', 'github'] or ['SQL', 'query', 'postgres']). " +
        'Semantic matching always uses tool_description, so provide a complete description even when supplying keywords.',
    },
  },
  required: ['tool_description'],
} as const;

const CALL_TOOL_INPUT = {
  type: 'object',
  properties: {
    tool_name: {
      type: 'string',
      description: "The name of the tool to execute (obtain this from find_tool results - it is the tool's name field)",
    },
    parameters: {
      type: 'object',
      description:
        "Dictionary of arguments required by the tool. The structure must match the tool's input schema as returned by find_tool.",
    },
  },
  required: ['tool_name', 'parameters'],
} as const;

/** find_tool and call_tool, find_tool's description taken from the config when set. */
export function metaTools(config: Pick<OptimizerConfig, 'findToolDescription'>): ToolDefinition[] {
  return [
    {
      name: FIND_TOOL,
      description: config.findToolDescription ?? DEFAULT_FIND_TOOL_DESCRIPTION,
      inputSchema: structuredClone(FIND_TOOL_INPUT),
    },
    { name: CALL_TOOL, description: CALL_TOOL_DESCRIPTION, inputSchema: structuredClone(CALL_TOOL_INPUT) },
  ];
}

/**
 * What tools/list shows when the optimizer is on: the meta-tools, then each `alwaysAdvertise`
 * name the caller can see (in config order; unknown or hidden names are skipped). A visible tool
 * named like a meta-tool is left out: the meta-tool owns that name.
 */
export function advertisedTools(
  config: Pick<OptimizerConfig, 'findToolDescription' | 'alwaysAdvertise'>,
  visible: (name: string) => ToolDefinition | undefined,
): ToolDefinition[] {
  const extra = config.alwaysAdvertise.filter((name) => !META_TOOL_NAMES.has(name)).map(visible);
  return [...metaTools(config), ...extra.filter((t): t is ToolDefinition => t !== undefined)];
}
