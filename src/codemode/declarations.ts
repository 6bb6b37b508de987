// The TypeScript declarations of the script's globals, generated from the bound tools' input
// and output schemas. Declarations stop at DESCRIPTION_LIMIT_CHARS; the rest are counted and
// the model is pointed to find_tool for their schemas.
import { declaredKey } from './bindings.js';
import type { JsonSchema, ToolDefinition } from './host.js';
import { DESCRIPTION_LIMIT_CHARS } from './limits.js';
import type { ToolBinding } from './protocol.js';
import { docComment, objectType, schemaType } from './schema-type.js';

function argumentsType(schema: JsonSchema | undefined): { type: string; optional: boolean } {
  if (schema === undefined || (schema.type !== undefined && schema.type !== 'object')) return { type: schemaType(schema), optional: true };
  const required = Array.isArray(schema.required) ? schema.required.length : 0;
  return { type: objectType(schema, 0, true), optional: required === 0 };
}

export function toolDeclaration(tool: ToolDefinition, bindings: readonly ToolBinding[]): string {
  const key = declaredKey(tool.name, bindings);
  const also = key === tool.name ? '' : ` (tools[${JSON.stringify(tool.name)}])`;
  const doc = docComment(`${tool.description ?? tool.title ?? ''}${also}`.trim(), '  ');
  const args = argumentsType(tool.inputSchema);
  const result = tool.outputSchema === undefined ? 'unknown' : schemaType(tool.outputSchema);
  return `${doc}  ${key}(args${args.optional ? '?' : ''}: ${args.type}): Promise<${result}>;`;
}

const GLOBALS = `declare function parallel<T>(tasks: ReadonlyArray<(() => Promise<T>) | Promise<T>>): Promise<T[]>;
declare const data: any; // the "data" argument, deep-frozen
declare class ToolError extends Error { code: string | number; tool: string }
declare const console: { log(...values: unknown[]): void; info: typeof console.log; warn: typeof console.log; error: typeof console.log };`;

/** The whole `ts` block: `declare const tools: {...}` within `limit` characters, then the other globals. */
export function declarations(tools: readonly ToolDefinition[], bindings: readonly ToolBinding[], limit = DESCRIPTION_LIMIT_CHARS): string {
  const lines: string[] = [];
  let size = 0;
  let shown = 0;
  for (const tool of tools) {
    const text = toolDeclaration(tool, bindings);
    if (size + text.length > limit) break;
    lines.push(text);
    size += text.length + 1;
    shown++;
  }
  if (shown < tools.length) {
    lines.push(
      `  // … ${tools.length - shown} more tools are not declared here (this description stops at ${limit} characters).`,
      '  // Call find_tool to look up a tool and its schema; every tool in tools/list is callable as tools["<name>"].',
    );
  }
  return `declare const tools: {\n${lines.join('\n')}\n};\n${GLOBALS}`;
}
