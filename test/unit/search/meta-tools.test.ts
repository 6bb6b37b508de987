import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallToolArgs } from '../../../src/search/call-tool.js';
import { findToolOutput, findToolResult, parseFindToolArgs, tokenMetrics, MAX_DESCRIPTION_CHARS } from '../../../src/search/find-tool.js';
import { advertisedTools, DEFAULT_FIND_TOOL_DESCRIPTION, metaTools } from '../../../src/search/meta-tools.js';
import { ToolIndex } from '../../../src/search/tool-index.js';
import type { ToolDefinition } from '../../../src/search/tool-definition.js';

test('find_tool and call_tool have ToolHive input schemas', () => {
  const [find, call] = metaTools({});
  assert.equal(find?.name, 'find_tool');
  assert.equal(find?.description, DEFAULT_FIND_TOOL_DESCRIPTION);
  assert.deepEqual(find?.inputSchema?.required, ['tool_description']);
  assert.deepEqual(Object.keys(find?.inputSchema?.properties as object), ['tool_description', 'tool_keywords']);
  assert.deepEqual((find?.inputSchema?.properties as Record<string, unknown>).tool_keywords, {
    type: 'array',
    items: { type: 'string' },
    description: (find?.inputSchema?.properties as Record<string, { description: string }>).tool_keywords!.description,
  });
  assert.equal(call?.name, 'call_tool');
  assert.deepEqual(call?.inputSchema?.required, ['tool_name', 'parameters']);
  assert.equal((call?.inputSchema?.properties as Record<string, { type: string }>).parameters!.type, 'object');
  assert.equal(metaTools({ findToolDescription: 'Search here.' })[0]?.description, 'Search here.');
});

test('advertisedTools: meta-tools, then visible alwaysAdvertise tools in config order', () => {
  const visible = new Map<string, ToolDefinition>([
    ['b_tool', { name: 'b_tool' }],
    ['a_tool', { name: 'a_tool' }],
    ['find_tool', { name: 'find_tool', description: 'a backend tool with a reserved name' }],
  ]);
  const tools = advertisedTools({ alwaysAdvertise: ['b_tool', 'hidden_tool', 'a_tool', 'find_tool'] }, (n) => visible.get(n));
  assert.deepEqual(
    tools.map((t) => t.name),
    ['find_tool', 'call_tool', 'b_tool', 'a_tool'],
  );
  assert.equal(tools[0]?.description, DEFAULT_FIND_TOOL_DESCRIPTION);
});

test('call_tool: top-level tool_name, or a nested one hoisted out of a copy of parameters', () => {
  assert.deepEqual(parseCallToolArgs({ tool_name: 'a', parameters: { x: 1 } }), {
    ok: true,
    value: { toolName: 'a', parameters: { x: 1 }, hoisted: false },
  });
  const params = { tool_name: 'b', y: 2 };
  assert.deepEqual(parseCallToolArgs({ parameters: params }), { ok: true, value: { toolName: 'b', parameters: { y: 2 }, hoisted: true } });
  assert.deepEqual(params, { tool_name: 'b', y: 2 }, 'the caller’s object is not modified');
  // A backend tool may take its own tool_name argument: the top-level name wins and it stays.
  assert.deepEqual(parseCallToolArgs({ tool_name: 'a', parameters: { tool_name: 'inner' } }), {
    ok: true,
    value: { toolName: 'a', parameters: { tool_name: 'inner' }, hoisted: false },
  });
  assert.deepEqual(parseCallToolArgs({ tool_name: 'a' }), { ok: true, value: { toolName: 'a', parameters: {}, hoisted: false } });
});

test('call_tool: errors name what is wrong', () => {
  const message = (args: unknown): string => {
    const r = parseCallToolArgs(args);
    return r.ok ? '' : r.message;
  };
  assert.match(message({ parameters: { x: 1, a: 2 } }), /^tool_name is required: .*got parameters keys \[a, x\]$/);
  assert.match(message({ tool_name: 7 }), /"tool_name" must be a string/);
  assert.match(message({ tool_name: 'a', parameters: [1] }), /"parameters" must be an object/);
  assert.match(message('x'), /must be an object/);
});

test('find_tool arguments: description required, keywords optional, bounds named', () => {
  assert.deepEqual(parseFindToolArgs({ tool_description: 'send mail' }), { ok: true, value: { description: 'send mail', keywords: [] } });
  assert.deepEqual(parseFindToolArgs({ tool_description: 'x', tool_keywords: 'mail, smtp' }), {
    ok: true,
    value: { description: 'x', keywords: ['mail', 'smtp'] },
  });
  const fail = (args: unknown): string => {
    const r = parseFindToolArgs(args);
    return r.ok ? '' : r.message;
  };
  assert.equal(fail({ tool_keywords: ['a'] }), 'tool_description is required');
  assert.equal(fail({ tool_description: '  ' }), 'tool_description is required');
  assert.match(fail({ tool_description: 'x'.repeat(MAX_DESCRIPTION_CHARS + 1) }), /4096-character limit/);
  assert.match(fail({ tool_description: 'x', tool_keywords: [1] }), /array of strings/);
  assert.match(fail({ tool_description: 'x', tool_keywords: new Array(33).fill('k') }), /32-keyword limit/);
});

test('find_tool output: full definitions in rank order and token metrics against what the caller may list', () => {
  const tools: ToolDefinition[] = [
    {
      name: 'a',
      description: 'alpha',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      annotations: { readOnlyHint: true },
    },
    { name: 'b', description: 'beta '.repeat(50), inputSchema: { type: 'object' } },
    { name: 'secret', description: 'hidden from this caller '.repeat(40) },
  ];
  const index = new ToolIndex(tools);
  const allow = (n: string): boolean => n !== 'secret';
  const out = findToolOutput([index], ['b', 'a', 'secret-unknown'], allow);
  assert.deepEqual(out.tools, [tools[1], tools[0]]);
  const tokens = (t: ToolDefinition): number => Math.floor(Buffer.byteLength(JSON.stringify(t)) / 4);
  const baseline = tokens(tools[0]!) + tokens(tools[1]!);
  assert.deepEqual(out.token_metrics, tokenMetrics(baseline, baseline));
  assert.equal(out.token_metrics.savings_percent, 0);
  const one = findToolOutput([index], ['a'], allow).token_metrics;
  assert.equal(one.returned_tokens, tokens(tools[0]!));
  assert.equal(one.savings_percent, ((baseline - one.returned_tokens) / baseline) * 100);
  assert.deepEqual(tokenMetrics(0, 0), { baseline_tokens: 0, returned_tokens: 0, savings_percent: 0 });
});

test('find_tool result: JSON text and the same structuredContent', () => {
  const index = new ToolIndex([{ name: 'a', description: 'alpha' }]);
  const result = findToolResult(findToolOutput([index], ['a']));
  assert.equal(result.content[0]?.type, 'text');
  assert.deepEqual(JSON.parse(result.content[0]!.text), result.structuredContent);
  assert.deepEqual(Object.keys(result.structuredContent), ['tools', 'token_metrics']);
});
