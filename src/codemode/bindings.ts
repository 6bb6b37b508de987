// The keys of the script's `tools` object. Every tool is there under its exact name
// (`tools["github-create-issue"]`); a name that is not a JavaScript identifier also gets an
// identifier alias (`tools.github_create_issue`) unless another tool already has that key.
import type { ToolDefinition } from './host.js';
import type { ToolBinding } from './protocol.js';
import { EXECUTE_TOOL_SCRIPT } from './reserved.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isIdentifier(key: string): boolean {
  return IDENTIFIER.test(key);
}

export function aliasOf(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

/** The tools a script may call: the caller's view, without execute_tool_script itself. */
export function callableTools(tools: readonly ToolDefinition[]): ToolDefinition[] {
  return tools.filter((tool) => tool.name !== EXECUTE_TOOL_SCRIPT);
}

export function toolBindings(tools: readonly ToolDefinition[]): ToolBinding[] {
  const taken = new Set(tools.map((tool) => tool.name));
  const bindings: ToolBinding[] = tools.map((tool) => ({ key: tool.name, name: tool.name }));
  for (const tool of tools) {
    if (isIdentifier(tool.name)) continue;
    const alias = aliasOf(tool.name);
    if (taken.has(alias)) continue;
    taken.add(alias);
    bindings.push({ key: alias, name: tool.name });
  }
  return bindings;
}

/** The key a declaration should use for a tool: its name if that is an identifier, else its alias. */
export function declaredKey(name: string, bindings: readonly ToolBinding[]): string {
  if (isIdentifier(name)) return name;
  return bindings.find((b) => b.name === name && b.key !== name)?.key ?? JSON.stringify(name);
}
