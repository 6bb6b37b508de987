// The execute_tool_script definition: TypeScript declarations generated from the tools'
// schemas (valid TypeScript, aliases for names that are not identifiers), the cap on the
// description with its pointer to find_tool, and the reserved-name check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { assertNoReservedToolName, CodeMode, EXECUTE_TOOL_SCRIPT, type ToolDefinition } from '../../../src/codemode/index.js';
import { declarations } from '../../../src/codemode/declarations.js';
import { toolBindings } from '../../../src/codemode/bindings.js';
import { schemaType } from '../../../src/codemode/schema-type.js';
import { isVmcpError } from '../../../src/errors/codes.js';
import { config, TOOL_DEFINITIONS } from './fake-host.js';

function syntaxErrors(source: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('execute_tool_script definition', () => {
  it('turns JSON Schemas into TypeScript types', () => {
    const cases: [unknown, string][] = [
      [{ type: 'string' }, 'string'],
      [{ type: 'integer' }, 'number'],
      [{ type: ['string', 'null'] }, 'string | null'],
      [{ enum: ['a', 1, null] }, '"a" | 1 | null'],
      [{ const: 'x' }, '"x"'],
      [{ type: 'array', items: { type: 'number' } }, 'number[]'],
      [{ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }, 'Array<string | number>'],
      [{ type: 'array', items: [{ type: 'string' }, { type: 'boolean' }] }, '[string, boolean]'],
      [
        { type: 'object', properties: { a: { type: 'string' }, 'b-c': { type: 'number' } }, required: ['a'] },
        '{ a: string; "b-c"?: number; }',
      ],
      [{ type: 'object', additionalProperties: { type: 'boolean' } }, 'Record<string, boolean>'],
      [{ type: 'object', additionalProperties: false }, '{}'],
      [
        {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } } },
            { type: 'object', properties: { b: { type: 'string' } } },
          ],
        },
        '{ a?: string; } & { b?: string; }',
      ],
      [{ $ref: '#/$defs/x' }, 'unknown'],
      [true, 'unknown'],
      [{ anyOf: [{ type: 'string' }, {}] }, 'unknown'],
    ];
    for (const [schema, expected] of cases) assert.equal(schemaType(schema), expected, JSON.stringify(schema));
  });

  it('declares every tool as an async method, with aliases for names that are not identifiers, in valid TypeScript', () => {
    const tools: ToolDefinition[] = [
      ...TOOL_DEFINITIONS,
      {
        name: 'gh.search-issues',
        description: 'Find */ issues\nacross repos',
        inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      },
      { name: '3d-render', inputSchema: { type: 'object' } },
    ];
    const text = declarations(tools, toolBindings(tools));
    assert.match(
      text,
      /\/\*\* Echoes the message \*\/\n {2}echo\(args: \{\n {4}\/\*\* What to echo \*\/\n {4}message: string;\n {2}\}\): Promise<unknown>;/,
    );
    assert.match(text, /add_numbers\(args: \{[^}]*a: number;[^}]*b: number;[^}]*\}\): Promise<\{ sum: number; \}>;/);
    assert.match(text, /\/\*\* Adds a and b \(tools\["add-numbers"\]\) \*\//);
    assert.match(text, /\/\*\* Find \*\\\/ issues across repos \(tools\["gh\.search-issues"\]\) \*\/\n {2}gh_search_issues\(/);
    assert.match(text, /_3d_render\(args\?: Record<string, unknown>\)/);
    assert.deepEqual(syntaxErrors(text), []);
  });

  it('stops declaring at the size limit and points to find_tool, keeping every tool callable', () => {
    const many: ToolDefinition[] = Array.from({ length: 400 }, (_, i) => ({
      name: `tool_${i}`,
      description: 'd'.repeat(100),
      inputSchema: { type: 'object', properties: { value: { type: 'string', description: 'v'.repeat(100) } } },
    }));
    const text = declarations(many, toolBindings(many), 5000);
    assert.ok(text.length < 6000, `${text.length} characters`);
    assert.match(text, /… \d+ more tools are not declared here/);
    assert.match(text, /find_tool/);
    assert.deepEqual(syntaxErrors(text), []);
    const definition = new CodeMode(config()).definition(many);
    assert.match(definition.description ?? '', /find_tool/);
  });

  it('describes execute_tool_script with the limits in force, without listing itself', () => {
    const definition = new CodeMode(config({ parallelMaxConcurrency: 4, maxToolCalls: 50 })).definition([
      ...TOOL_DEFINITIONS,
      { name: EXECUTE_TOOL_SCRIPT, inputSchema: { type: 'object' } },
    ]);
    assert.equal(definition.name, EXECUTE_TOOL_SCRIPT);
    assert.deepEqual(definition.inputSchema.required, ['script']);
    assert.match(definition.description ?? '', /up to 4 calls at once/);
    assert.match(definition.description ?? '', /50 calls/);
    assert.doesNotMatch(definition.description ?? '', /execute_tool_script\(/);
    assert.deepEqual(definition.outputSchema?.required, ['result', 'calls']);
  });

  it('refuses a backend tool that already has the reserved name, naming the backend', () => {
    assert.doesNotThrow(() => assertNoReservedToolName([{ name: 'echo', backend: 'a' }]));
    assert.throws(
      () =>
        assertNoReservedToolName([
          { name: 'echo', backend: 'a' },
          { name: EXECUTE_TOOL_SCRIPT, backend: 'rogue' },
        ]),
      (err: unknown) =>
        isVmcpError(err, 'VMCP_NAME_CONFLICT') && /backend "rogue" advertises a tool named "execute_tool_script"/.test(err.message),
    );
  });
});
