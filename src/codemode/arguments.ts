// The arguments of execute_tool_script: a non-empty `script` string and an optional `data`
// object. Anything else is answered with an error result naming the field, as for any tool.
export interface ScriptArguments {
  readonly script: string;
  readonly dataJson: string;
}

export function parseArguments(args: unknown): ScriptArguments | string {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return 'the arguments must be an object with a "script" string';
  const { script, data } = args as { script?: unknown; data?: unknown };
  if (typeof script !== 'string' || script.trim() === '') return '"script" must be a non-empty string of JavaScript';
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return `"data" must be an object (got ${Array.isArray(data) ? 'an array' : data === null ? 'null' : typeof data})`;
  }
  return { script, dataJson: JSON.stringify(data ?? {}) };
}
