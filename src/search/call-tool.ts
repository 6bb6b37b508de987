// call_tool's arguments → the target tool and its arguments. Agents often nest the name inside
// `parameters`; ToolHive hoists it (optimizer.go resolveCallToolTarget), and so do we: a top-level
// tool_name always wins (so a backend tool with its own `tool_name` argument still works), and
// the hoisted copy of `parameters` loses the key. Authorization must check the name returned
// here, the one dispatch will call.

export interface CallToolTarget {
  readonly toolName: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The name came from parameters.tool_name. */
  readonly hoisted: boolean;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function parseCallToolArgs(args: unknown): Parsed<CallToolTarget> {
  if (!isObject(args)) return { ok: false, message: 'call_tool arguments must be an object' };
  const params = args.parameters ?? {};
  if (!isObject(params)) return { ok: false, message: 'call_tool: "parameters" must be an object of the tool\'s arguments' };
  if (args.tool_name !== undefined && typeof args.tool_name !== 'string') {
    return { ok: false, message: 'call_tool: "tool_name" must be a string' };
  }
  if (typeof args.tool_name === 'string' && args.tool_name !== '') {
    return { ok: true, value: { toolName: args.tool_name, parameters: params, hoisted: false } };
  }
  const nested = params.tool_name;
  if (typeof nested === 'string' && nested !== '') {
    const { tool_name: _, ...rest } = params;
    return { ok: true, value: { toolName: nested, parameters: rest, hoisted: true } };
  }
  const keys = Object.keys(params).sort().join(', ');
  return {
    ok: false,
    message:
      'tool_name is required: call_tool expects {"tool_name": "<name from find_tool>", "parameters": {<tool arguments>}}, ' +
      `got parameters keys [${keys}]`,
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
