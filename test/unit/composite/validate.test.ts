// compositeTools validation through the real loader: every problem at once, each with its file
// line, and the ToolHive-derived fixtures valid.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compositeToolIssues } from '../../../src/composite/validate.js';
import { renderWorkflows } from '../../../src/composite/render-dag.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import type { ConfigIssue } from '../../../src/config/issues.js';
import type { LoadResult } from '../../../src/config/load.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/composite', import.meta.url));
const HEAD = 'name: t\nbackends:\n  - {name: gh, transport: stdio, command: node}\ncompositeTools:\n';

/** Load HEAD + the given compositeTools lines (already indented two spaces). */
function load(body: string): LoadResult {
  return loadConfigText(HEAD + body, { env: {}, rules: [compositeToolIssues] });
}

const errors = (issues: readonly ConfigIssue[]): string[] =>
  issues.filter((i) => i.severity === 'error').map((i) => `${i.line}: ${i.path}: ${i.message}`);

describe('ToolHive-derived fixtures', async () => {
  const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.yaml')).sort();
  it('there are fixtures', () => assert.ok(files.length >= 6, files.join(', ')));
  for (const file of files) {
    it(`${file} validates`, async () => {
      const { config, issues } = await loadConfigFile(join(FIXTURES, file), {}, [compositeToolIssues]);
      assert.deepEqual(errors(issues), []);
      assert.ok(config && config.compositeTools.length > 0);
    });
  }
});

describe('dependencies', () => {
  it('reports a cycle with the path, at the line of the step', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - id: a
        tool: gh.x
        dependsOn: [b]
      - id: b
        tool: gh.y
        dependsOn: [a]
`);
    assert.deepEqual(errors(issues), ['10: compositeTools[0].steps[0].dependsOn: dependency cycle: a → b → a']);
  });

  it('reports unknown and self dependencies with a suggestion', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - id: fetch
        tool: gh.x
      - id: use
        tool: gh.y
        dependsOn: [fetchh, use]
`);
    assert.deepEqual(errors(issues), [
      '12: compositeTools[0].steps[1].dependsOn[0]: unknown step "fetchh" (did you mean "fetch"?)',
      '12: compositeTools[0].steps[1].dependsOn[1]: step "use" depends on itself',
    ]);
  });

  it('reports duplicate step ids and duplicate tool names', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: a, tool: gh.x}
      - {id: a, tool: gh.y}
  - name: w
    description: again
    steps: [{id: a, tool: gh.x}]
`);
    assert.deepEqual(errors(issues), [
      '9: compositeTools[0].steps[1].id: duplicate step id "a": steps[0] and steps[1]',
      '10: compositeTools[1].name: duplicate composite tool name "w": compositeTools[0] and compositeTools[1]',
    ]);
  });
});

describe('templates', () => {
  it('reports parse errors and unsupported features where the template is', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - id: a
        tool: gh.x
        arguments:
          q: "{{range .params.items}}x{{end}}"
          nested: {deeper: ["ok", "{{$v := 1}}"]}
        condition: "{{.params.x == 'y'}}"
`);
    assert.deepEqual(errors(issues), [
      '11: compositeTools[0].steps[0].arguments.q: invalid template: {{range}} is not supported (see docs/composite-tools.md) (at column 3)',
      '12: compositeTools[0].steps[0].arguments.nested.deeper[1]: invalid template: variables ($v) are not supported; use $ or . (at column 3)',
      '13: compositeTools[0].steps[0].condition: invalid template: operator == is not supported: use the functions eq ne lt le gt ge and or not (e.g. {{eq .a "b"}}) (at column 13)',
    ]);
  });

  it('lets a step read only the steps it depends on, transitively', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: a, tool: gh.x}
      - {id: b, tool: gh.x, dependsOn: [a]}
      - {id: c, tool: gh.x, dependsOn: [b], arguments: {v: "{{.steps.a.output.v}}"}}
      - {id: d, tool: gh.x, arguments: {v: "{{.steps.a.output.v}}"}}
      - {id: e, tool: gh.x, arguments: {v: "{{.steps.e.status}}", w: "{{.steps.zz.output}}"}}
    output:
      properties:
        v: {type: string, description: v, value: "{{.steps.d.output.v}}"}
`);
    assert.deepEqual(errors(issues), [
      '11: compositeTools[0].steps[3].arguments.v: .steps.a.output.v: step "a" is not a dependency of "d" (add "a" to the dependsOn of step "d")',
      '12: compositeTools[0].steps[4].arguments.v: .steps.e.status: step "e" is not a dependency of "e" (a step cannot read its own results)',
      '12: compositeTools[0].steps[4].arguments.w: .steps.zz.output: unknown step "zz"',
    ]);
  });

  it('checks the fields of step results, the loop variables and .workflow', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: ask, type: elicitation, message: "ok?"}
      - id: loop
        collection: "[1,2]"
        itemVar: pkg
        dependsOn: [ask]
        step: {tool: gh.x, arguments: {a: "{{.forEach.pkg}} {{.forEach.index}} {{.forEach.item}}"}}
      - id: after
        tool: gh.x
        dependsOn: [loop]
        arguments:
          a: "{{.steps.ask.action}}"
          b: "{{.steps.ask.output.answer}}"
          c: "{{.steps.loop.output.total}}"
          d: "{{.forEach.pkg}}"
          e: "{{.workflow.started}}"
`);
    assert.deepEqual(errors(issues), [
      '13: compositeTools[0].steps[1].step.arguments.a: .forEach.item: the loop defines .forEach.pkg and .forEach.index',
      "18: compositeTools[0].steps[2].arguments.a: .steps.ask.action: step results have .output, .content, .status and .error (an elicitation's answer is .steps.ask.output.action)",
      '19: compositeTools[0].steps[2].arguments.b: .steps.ask.output.answer: the output of elicitation step "ask" has action, content, skipped',
      '20: compositeTools[0].steps[2].arguments.c: .steps.loop.output.total: the output of forEach step "loop" has iterations, count, completed, failed',
      "21: compositeTools[0].steps[2].arguments.d: .forEach.pkg: .forEach is only defined in the arguments of a forEach step's inner step",
      '22: compositeTools[0].steps[2].arguments.e: .workflow.started: .workflow has id, duration_ms, step_count, status, start_time',
    ]);
  });

  it('requires defaultResults for the output fields of a step that may be skipped', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: maybe, tool: gh.x, condition: "{{.params.on}}", defaultResults: {text: none}}
      - {id: flaky, tool: gh.x, onError: {action: continue}}
      - {id: use, tool: gh.y, dependsOn: [maybe, flaky], arguments: {a: "{{.steps.maybe.output.text}} {{.steps.maybe.output.extra}}", b: "{{.steps.flaky.output.text}}"}}
`);
    assert.deepEqual(errors(issues), [
      '8: compositeTools[0].steps[0].defaultResults: step "maybe" has a condition, so defaultResults.extra is required: step "use" reads it',
      '9: compositeTools[0].steps[1]: step "flaky" continues on error, so defaultResults.text is required: step "use" reads it',
    ]);
  });

  it('warns about roots and parameters that render <no value>', () => {
    const { issues } = load(`  - name: w
    description: d
    parameters: {type: object, properties: {repo: {type: string}}}
    steps:
      - {id: a, tool: gh.x, arguments: {a: "{{.timestamp}}", b: "{{.params.rep}}"}}
`);
    assert.deepEqual(errors(issues), []);
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        '.timestamp is not defined and renders <no value>; templates read .params, .steps, .workflow, .forEach',
        '.params.rep: parameter "rep" is not declared in parameters.properties (did you mean "repo"?)',
      ],
    );
  });
});

describe('step shapes and limits', () => {
  it('reports fields of another step type, missing fields and bad retry settings', () => {
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: a, tool: gh.x, message: hi}
      - {id: b, type: tool, tool: gh.x, collection: "[]"}
      - {id: c, type: forEach, collection: "[]"}
      - {id: d, tool: gh.x, onError: {action: retry}}
      - {id: e, tool: gh.x, onError: {action: abort, retryCount: 2}}
`);
    assert.deepEqual(errors(issues), [
      '8: compositeTools[0].steps[0]: a step with both "tool" and "message" must say its type (tool or elicitation)',
      '9: compositeTools[0].steps[1].collection: "collection" belongs to forEach steps; this is a tool step',
      '10: compositeTools[0].steps[2]: a forEach step needs "step"',
      '11: compositeTools[0].steps[3].onError.retryCount: must be at least 1 when action is retry',
    ]);
    assert.ok(issues.some((i) => i.severity === 'warning' && i.line === 12 && /ignored: only used when action is retry/.test(i.message)));
  });

  it('enforces ToolHive limits, naming them', () => {
    const deep = JSON.stringify(Array.from({ length: 11 }).reduce<object>((inner) => ({ type: 'object', properties: { x: inner } }), {}));
    const { issues } = load(`  - name: w
    description: d
    steps:
      - {id: a, tool: gh.x, onError: {action: retry, retryCount: 11}}
      - {id: b, type: forEach, collection: "[]", maxParallel: 51, maxIterations: 1001, step: {tool: gh.x}}
      - {id: c, type: elicitation, message: hi, timeout: 11m}
      - {id: d, type: elicitation, message: hi, schema: ${deep}}
      - {id: e, type: elicitation, message: hi, schema: {type: object, description: "${'x'.repeat(102_400)}"}}
      - {id: f, type: forEach, collection: "[]", itemVar: index, step: {tool: gh.x}}
`);
    const messages = errors(issues).map((e) => e.replace(/^\d+: /, ''));
    assert.deepEqual(messages, [
      'compositeTools[0].steps[0].onError.retryCount: must be at most 10',
      'compositeTools[0].steps[1].maxParallel: must be at most 50',
      'compositeTools[0].steps[1].maxIterations: must be at most 1000',
      'compositeTools[0].steps[2].timeout: an elicitation waits at most 10m',
      'compositeTools[0].steps[3].schema: schema nesting depth is 23; the limit is 10',
      'compositeTools[0].steps[4].schema: schema is 102434 bytes; the limit is 102400 (100 KB)',
      'compositeTools[0].steps[5].itemVar: "index" is reserved (.forEach.index is the position)',
    ]);
  });

  it('allows at most 100 steps', () => {
    const steps = Array.from({ length: 101 }, (_, i) => `      - {id: s${i}, tool: gh.x}`).join('\n');
    const { issues } = load(`  - name: w\n    description: d\n    steps:\n${steps}\n`);
    assert.deepEqual(errors(issues), ['7: compositeTools[0].steps: must have at most 100 items']);
  });

  it('rejects keys ToolHive does not have (its loader is strict too)', () => {
    const { issues } = load(`  - name: w
    description: d
    failureMode: abort
    steps:
      - {id: a, tool: gh.x, onError: {action: retry, maxRetries: 2}}
`);
    assert.deepEqual(errors(issues), [
      '7: compositeTools[0].failureMode: unknown key "failureMode"',
      '9: compositeTools[0].steps[0].onError.retryCount: must be at least 1 when action is retry',
      '9: compositeTools[0].steps[0].onError.maxRetries: unknown key "maxRetries"',
    ]);
  });

  it('checks output properties', () => {
    const { issues } = load(`  - name: w
    description: d
    steps: [{id: a, tool: gh.x}]
    output:
      properties:
        n: {type: integer, description: n, default: "many"}
        o: {type: object, description: o, value: "{}", properties: {x: {type: string, description: x, value: "1"}}}
        s: {type: string, description: s, properties: {}}
      required: [nn]
`);
    assert.deepEqual(errors(issues), [
      '10: compositeTools[0].output.properties.n: an integer property needs value',
      '10: compositeTools[0].output.properties.n.default: default "many" is not an integer',
      '11: compositeTools[0].output.properties.o: an object property has either value or properties, not both',
      '12: compositeTools[0].output.properties.s: a string property needs value',
      '12: compositeTools[0].output.properties.s.properties: only object properties have properties',
      '13: compositeTools[0].output.required[0]: "nn" is not one of the output properties (did you mean "n"?)',
    ]);
  });
});

describe('normalized form', () => {
  it('fills ToolHive defaults and converts durations', () => {
    const { config, issues } = load(`  - name: w
    description: d
    steps:
      - {id: a, tool: gh.x, onError: {action: retry, retryCount: 3}}
      - {id: ask, message: "ok?", dependsOn: [a]}
      - {id: loop, collection: "[]", step: {tool: gh.y}, dependsOn: [ask]}
`);
    assert.deepEqual(errors(issues), []);
    const [tool] = config!.compositeTools;
    assert.equal(tool!.timeoutMs, 30 * 60_000);
    assert.deepEqual(tool!.parameters, { type: 'object', properties: {} });
    assert.deepEqual(tool!.steps[0], {
      id: 'a',
      dependsOn: [],
      timeoutMs: 300_000,
      onError: { action: 'retry', retryCount: 3, retryDelayMs: 1000 },
      type: 'tool',
      tool: 'gh.x',
      arguments: {},
    });
    assert.equal(tool!.steps[1]!.type, 'elicitation');
    assert.deepEqual(
      tool!.steps[2]!.type === 'forEach' && [tool!.steps[2]!.itemVar, tool!.steps[2]!.maxParallel, tool!.steps[2]!.maxIterations],
      ['item', 10, 100],
    );
    assert.ok(Object.isFrozen(tool!.steps[0]));
  });
});

describe('docs/composite-tools.md', () => {
  it('its example validates and its DAG printout is what vmcp validate prints', async () => {
    const doc = await readFile(new URL('../../../docs/composite-tools.md', import.meta.url), 'utf8');
    const [yamlBlock = '', printout = ''] = [...doc.matchAll(/```(?:yaml)?\n([\s\S]*?)```/g)].map((m) => m[1]);
    const { config, issues } = loadConfigText(yamlBlock, { env: {}, rules: [compositeToolIssues] });
    assert.deepEqual(issues, []);
    assert.equal(renderWorkflows(config!.compositeTools), printout);
  });
});
