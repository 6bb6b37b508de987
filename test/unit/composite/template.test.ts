// The template engine against a table of ToolHive-style expressions, including the places where
// Go's text/template semantics differ from what a JavaScript programmer expects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Template } from '../../../src/composite/template/template.js';
import { MAX_TEMPLATE_OUTPUT_BYTES } from '../../../src/composite/template/evaluate.js';

const context = {
  params: { n: 1000000, id: 123456, big: 1234567, small: 0.00001, half: 3.5, flag: true, off: false, name: 'a<b&c', empty: '', nil: null },
  steps: {
    fetch: { status: 'completed', output: { count: 3, items: [{ name: 'x' }, { name: 'y' }], nested: { b: 2, a: [1, 'two', null] } } },
    api: { status: 'completed', output: { text: '{"user":{"name":"ada","id":7}}' }, content: { text: 'hello' } },
    skipped: { status: 'skipped', output: { text: 'fallback' } },
    broken: { status: 'failed', error: 'tool x failed', output: {} },
  },
  workflow: { id: 'wf-1', duration_ms: 2000000n, step_count: 3n, status: 'running' },
  forEach: { item: { name: 'pkg' }, index: 4n },
};

const render = (source: string): string => Template.parse(source).render(context);

// [template, expected output]
const cases: [string, string][] = [
  ['plain text', 'plain text'],
  ['{{.params.flag}}', 'true'],
  ['hello {{.steps.api.content.text}}!', 'hello hello!'],
  // Missing keys print Go's "<no value>", however deep the path goes.
  ['{{.params.missing}}', '<no value>'],
  ['{{.steps.nope.output.x}}', '<no value>'],
  ['{{.params.nil}}', '<no value>'],
  // JSON numbers are float64 in Go: %v switches to exponent form at 1e6.
  ['{{.params.n}}', '1e+06'],
  ['{{.params.id}}', '123456'],
  ['{{.params.big}}', '1.234567e+06'],
  ['{{.params.small}}', '1e-05'],
  ['{{.params.half}}', '3.5'],
  ['{{1000000}}', '1000000'],
  ['{{1e6}}', '1e+06'],
  ['{{.workflow.duration_ms}}', '2000000'],
  ['{{.forEach.index}}', '4'],
  ['{{json .params.n}}', '1000000'],
  ['{{printf "%d" .params.big}}', '1234567'],
  // Maps print sorted as map[k:v], lists as [a b], nil inside them as <nil>.
  ['{{.steps.fetch.output.nested}}', 'map[a:[1 two <nil>] b:2]'],
  ['{{.steps.fetch.output.items}}', '[map[name:x] map[name:y]]'],
  // encoding/json: sorted keys, HTML characters escaped.
  ['{{json .steps.fetch.output.nested}}', '{"a":[1,"two",null],"b":2}'],
  ['{{json .params.name}}', '"a\\u003cb\\u0026c"'],
  ['{{json .params.missing}}', 'null'],
  ['{{.params.name | json}}', '"a\\u003cb\\u0026c"'],
  ['{{quote "say \\"hi\\"\\n"}}', '"say \\"hi\\"\\n"'],
  ['{{quote `raw\\n`}}', '"raw\\\\n"'],
  ['{{(fromJson .steps.api.output.text).user.name}}', 'ada'],
  ['{{(fromJson .steps.api.output.text).user.id}}', '7'],
  ['{{.forEach.item.name}}', 'pkg'],
  // Comparisons.
  ['{{eq .steps.fetch.status "completed"}}', 'true'],
  ['{{eq .steps.fetch.status "failed" "completed"}}', 'true'],
  ['{{ne .steps.broken.status "completed"}}', 'true'],
  ['{{eq .params.missing "x"}}', 'false'],
  ['{{eq .params.missing .params.nil}}', 'true'],
  ['{{gt .steps.fetch.output.count 2}}', 'true'],
  ['{{lt .steps.fetch.output.count 2.5}}', 'false'],
  ['{{le "abc" "abd"}}', 'true'],
  ['{{ge (len .steps.fetch.output.items) 2}}', 'true'],
  // and/or return the deciding operand (Go 1.18+), and stop early.
  ['{{and .params.flag .params.name}}', 'a<b&c'],
  ['{{and .params.off .params.name}}', 'false'],
  ['{{or .params.empty "default"}}', 'default'],
  ['{{or .params.flag (fromJson "not json")}}', 'true'],
  ['{{not .params.empty}}', 'true'],
  ['{{and .params.flag (eq .steps.fetch.status "completed")}}', 'true'],
  // Control flow.
  ['{{if .params.flag}}yes{{else}}no{{end}}', 'yes'],
  ['{{if .params.off}}a{{else if .params.flag}}b{{else}}c{{end}}', 'b'],
  ['{{if .params.missing}}a{{end}}', ''],
  ['a {{- " b " -}} c', 'a b c'],
  ['x {{/* a comment */}} y', 'x  y'],
  ['x {{- /* trimmed */ -}} y', 'xy'],
  // index and len.
  ['{{index .steps.fetch.output.items 1}}', 'map[name:y]'],
  ['{{(index .steps.fetch.output.items 0).name}}', 'x'],
  ['{{index .steps "fetch" "status"}}', 'completed'],
  ['{{index .steps.fetch.output "nope"}}', '<no value>'],
  ['{{len "é"}}', '2'],
  ['{{len .steps.fetch.output.nested}}', '2'],
  // printf and print.
  ['{{printf "%s has %d items (%.2f)" "list" 3 1.5}}', 'list has 3 items (1.50)'],
  ['{{printf "%q %t %v %x" "a" true .params.half 255}}', '"a" true 3.5 ff'],
  ['{{printf "%d"}}', '%!d(MISSING)'],
  ['{{printf "%d" "x"}}', '%!d(string=x)'],
  ['{{print "a" 1 2 "b"}}', 'a1 2b'],
  ['{{.steps.skipped.output.text | printf "[%s]"}}', '[fallback]'],
];

describe('template rendering (ToolHive expressions)', () => {
  for (const [source, expected] of cases) {
    it(source, () => assert.equal(render(source), expected));
  }
});

// [template, a fragment of the error]
const errors: [string, RegExp][] = [
  ['{{.params.nil.x}}', /nil pointer evaluating interface \{\}\.x/],
  ['{{.params.name.x}}', /can't evaluate field x in type string/],
  ['{{eq .params.name 1}}', /incompatible types for comparison/],
  ['{{eq .steps.fetch.output.items 1}}', /non-comparable types/],
  ['{{lt .params.missing 1}}', /invalid type for comparison/],
  ['{{index .steps.fetch.output.items 5}}', /index out of range: 5/],
  ['{{index .params.missing 0}}', /index of untyped nil/],
  ['{{quote .params.n}}', /quote: expected string; got float64/],
  ['{{fromJson "{"}}', /fromJson: failed to unmarshal JSON/],
  ['{{len .params.flag}}', /len of type bool/],
  ['{{eq .params.flag}}', /wrong number of args for eq: want at least 2 got 1/],
];

describe('template execution errors', () => {
  for (const [source, pattern] of errors) {
    it(source, () => assert.throws(() => render(source), pattern));
  }
});

const parseErrors: [string, RegExp][] = [
  ['{{.params.x', /unclosed action/],
  ['{{}}', /missing value for command/],
  ['{{nope .x}}', /function "nope" is not supported/],
  ['{{range .steps}}x{{end}}', /\{\{range\}\} is not supported/],
  ['{{with .params}}x{{end}}', /\{\{with\}\} is not supported/],
  ['{{template "x"}}', /\{\{template\}\} is not supported/],
  ['{{$x := 1}}', /variables \(\$x\) are not supported/],
  ["{{.steps.confirm.action == 'accept'}}", /operator == is not supported: use the functions eq/],
  ['{{.a && .b}}', /operator && is not supported/],
  ["{{eq .a 'accept'}}", /character constants \('accept'\) are not supported/],
  ['{{if .a}}x', /missing \{\{end\}\}/],
  ['x{{end}}', /unexpected \{\{end\}\}/],
  ['{{.a .b}}', /a value cannot take arguments/],
  ['{{.a | .b}}', /only a function can follow "\|"/],
  ['{{"x".y}}', /unexpected field \.y after a constant/],
  ['{{nil}}', /nil is not supported/],
  ['{{/* open', /unclosed comment/],
  ['{{"abc}}', /unterminated quoted string/],
  ['{{1.2.3}}', /bad number syntax/],
];

describe('template parse errors (what validation reports)', () => {
  for (const [source, pattern] of parseErrors) {
    it(source, () => assert.throws(() => Template.parse(source), pattern));
  }

  it('says where in a multi-line template the problem is', () => {
    assert.throws(() => Template.parse('line one\n{{ nope }}'), /\(at line 2, column 4\)/);
    assert.throws(() => Template.parse('abc {{ nope }}'), /\(at column 8\)/);
  });
});

describe('template values and limits', () => {
  it('keeps the value of a single-action template unprinted', () => {
    const e = Template.parse('{{.params.n}}').evaluate(context);
    assert.equal(e.single, true);
    assert.equal(e.value, 1000000);
    assert.equal(e.text, '1e+06');
    assert.deepEqual(Template.parse('{{.steps.fetch.output.items}}').evaluate(context).value, context.steps.fetch.output.items);
    assert.equal(Template.parse('n={{.params.n}}').evaluate(context).single, false);
    assert.equal(Template.parse('{{.params.missing}}').evaluate(context).value, undefined);
  });

  it('lists the field paths a template reads', () => {
    const t = Template.parse(
      '{{if eq .steps.a.status "completed"}}{{(fromJson .steps.b.output.text).x}}{{end}}{{index .steps "c-d" "output"}}',
    );
    assert.deepEqual(
      t.references().map((r) => r.path.join('.')),
      ['steps.a.status', 'steps.b.output.text', 'steps.c-d.output'],
    );
  });

  it('bounds the output at 10 MB, naming the limit', () => {
    const width = MAX_TEMPLATE_OUTPUT_BYTES + 1;
    assert.throws(() => render(`{{printf "%${width}s" "x"}}`), /template output exceeds the limit of 10485760 bytes \(10 MB\)/);
    assert.equal(render(`{{printf "%${MAX_TEMPLATE_OUTPUT_BYTES}s" "x"}}`).length, MAX_TEMPLATE_OUTPUT_BYTES);
  });

  it('bounds nesting at 100, naming the limit', () => {
    assert.equal(render(`{{${'('.repeat(50)}1${')'.repeat(50)}}}`), '1');
    assert.throws(() => Template.parse(`{{${'('.repeat(101)}1${')'.repeat(101)}}}`), /recursion limit of 100/);
    let deep: unknown = 'x';
    for (let i = 0; i < 150; i++) deep = [deep];
    assert.throws(() => Template.parse('{{.deep}}').render({ deep } as never), /recursion limit of 100/);
  });

  it('never runs template text as code', () => {
    assert.equal(render('{{"process.exit(1)"}}'), 'process.exit(1)');
    assert.throws(() => Template.parse('{{constructor}}'), /function "constructor" is not supported/);
    assert.equal(render('{{.params.constructor}}'), '<no value>');
    assert.equal(render('{{.params.__proto__}}'), '<no value>');
  });
});
