import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/aggregation/catalog.js';
import type { AggregationConfig } from '../../../src/config/types.js';

const agg = (over: Partial<AggregationConfig> = {}): AggregationConfig => ({
  conflictResolution: 'prefix',
  prefixFormat: '{workload}_',
  priorityOrder: [],
  excludeAllTools: false,
  defaultToolVisibility: 'allow',
  maxToolNameLength: 64,
  tools: {},
  ...over,
});
const inv = (tools: string[], extra: Record<string, unknown[]> = {}) =>
  ({
    tools: tools.map((name) => ({ name, description: `${name} tool`, inputSchema: { type: 'object' } })),
    prompts: [],
    resources: [],
    templates: [],
    ...extra,
  }) as never;

describe('buildCatalog', () => {
  it('renames only the name of a tool definition and routes back to the original', () => {
    const { catalog } = buildCatalog(1, [{ backend: 'gh', inventory: inv(['search']) }], agg());
    assert.deepEqual(catalog.tools, [{ name: 'gh_search', description: 'search tool', inputSchema: { type: 'object' } }]);
    assert.deepEqual(catalog.tool('gh_search'), { backend: 'gh', name: 'search' });
    assert.equal(catalog.tool('search'), undefined);
    assert.ok(Object.isFrozen(catalog) && Object.isFrozen(catalog.tools) && Object.isFrozen(catalog.tools[0]));
  });

  it('applies filter, excludeAll and overrides on original names', () => {
    const { catalog } = buildCatalog(
      1,
      [
        { backend: 'a', inventory: inv(['one', 'two', 'three']) },
        { backend: 'b', inventory: inv(['four']) },
      ],
      agg({
        tools: {
          a: { workload: 'a', filter: ['one', 'two'], excludeAll: false, overrides: { two: { name: 'deux', description: 'second' } } },
          b: { workload: 'b', excludeAll: true, overrides: {} },
        },
      }),
    );
    assert.deepEqual(
      catalog.tools.map((t) => [t['name'], t['description']]),
      [
        ['a_one', 'one tool'],
        ['a_deux', 'second'],
      ],
    );
    assert.deepEqual(catalog.tool('a_deux'), { backend: 'a', name: 'two' });
  });

  it('never rewrites resource URIs; a duplicate goes to the first backend by priority, then config order', () => {
    const r = (uri: string) => ({ uri, name: uri });
    const { catalog, problems } = buildCatalog(
      1,
      [
        {
          backend: 'a',
          inventory: inv([], { resources: [r('x://1'), r('x://2')], templates: [{ uriTemplate: 'x://t/{id}', name: 't' }] }),
        },
        { backend: 'b', inventory: inv([], { resources: [r('x://2')] }) },
      ],
      agg({ priorityOrder: ['b'] }),
    );
    assert.deepEqual(
      catalog.resources.map((x) => x['uri']),
      ['x://2', 'x://1'],
    );
    assert.equal(catalog.resource('x://2')!.backend, 'b');
    assert.equal(problems.length, 1);
    assert.equal(catalog.matchTemplate('x://t/42')!.backend, 'a');
    assert.equal(catalog.matchTemplate('y://t/42'), undefined);
  });

  it('excludeAllTools hides every backend tool but keeps prompts', () => {
    const { catalog } = buildCatalog(
      1,
      [{ backend: 'a', inventory: inv(['one'], { prompts: [{ name: 'p' }] }) }],
      agg({ excludeAllTools: true }),
    );
    assert.equal(catalog.tools.length, 0);
    assert.deepEqual(
      catalog.prompts.map((p) => p['name']),
      ['a_p'],
    );
  });

  it("excludeAllTools leaves the gateway's own (virtual) tools listed", () => {
    const inputs = [
      { backend: 'a', inventory: inv(['one']) },
      { backend: 'composite', inventory: inv(['flow']), virtual: true as const },
    ];
    const { catalog } = buildCatalog(1, inputs, agg({ excludeAllTools: true }));
    assert.deepEqual(
      catalog.tools.map((t) => t['name']),
      ['composite_flow'],
    );
  });
});
