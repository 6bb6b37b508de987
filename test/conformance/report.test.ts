// The expected-failures lists and the verdict of the conformance runner (no suite is run here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readExpectedFailures, verdict, type Column } from './lib/report.js';
import type { ScenarioResult } from './lib/suite.js';
import { SUITES, type SuiteTool } from './lib/suites.js';

const dir = mkdtempSync(join(tmpdir(), 'vmcp-conformance-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function listFile(body: string): string {
  const file = join(dir, `list-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(file, body);
  return file;
}

const tool: SuiteTool = {
  def: SUITES['2026'],
  node: 'node',
  cli: 'cli.js',
  scenarios: ['alpha', 'beta', 'gamma', 'extra'],
  scored: new Set(['alpha', 'beta', 'gamma']),
  suiteArgs: [],
  scenarioArgs: () => [],
};

function column(label: string, target: Column['target'], failing: string[]): Column {
  const scenarios = new Map<string, ScenarioResult>(tool.scenarios.map((s) => [s, failing.includes(s) ? { pass: false } : { pass: true }]));
  return { label, target, run: { scenarios, ms: 1, notes: [] } };
}

describe('readExpectedFailures', () => {
  test('reads items below the heading, with transports and continued reasons', () => {
    const file = listFile(
      [
        '# Title',
        '- not-an-entry: prose above the heading is ignored',
        '## Expected failures',
        '- alpha@stdio,sse: first line',
        '  second line',
        '',
        '  not a continuation (after a blank line)',
        '- beta: plain',
        '- **gamma**: not an item name',
      ].join('\n'),
    );
    const entries = readExpectedFailures(file);
    assert.deepEqual(
      entries.map((e) => [e.scenario, e.targets, e.reason]),
      [
        ['alpha', ['stdio', 'sse'], 'first line second line'],
        ['beta', undefined, 'plain'],
      ],
    );
  });
});

describe('verdict', () => {
  const direct = column('direct', undefined, ['extra']);
  const check = (body: string, gatewayFailing: string[]): string[] =>
    verdict([direct, column('gateway(sse)', 'sse', gatewayFailing)], readExpectedFailures(listFile(body)), tool, 'list.md');

  test('an unlisted gateway failure fails the run; a listed one does not', () => {
    assert.match(
      check('## Expected failures\n', ['beta']).join('\n'),
      /gateway\(sse\): beta passes directly but fails through the gateway/,
    );
    assert.deepEqual(check('## Expected failures\n- beta@sse: because\n', ['beta']), []);
  });

  test('a stale entry fails the run', () => {
    assert.match(
      check('## Expected failures\n- beta: because\n', []).join('\n'),
      /list\.md:2 \(beta\): stale, passes through gateway\(sse\)/,
    );
  });

  test('entries need a reason, a real scenario and transport, and a direct pass', () => {
    const problems = check('## Expected failures\n- beta@sse:\n- nope: why\n- gamma@carrier-pigeon: why\n- extra: why\n', [
      'beta',
      'gamma',
    ]);
    assert.match(problems.join('\n'), /beta@sse\): an expected failure needs a reason/);
    assert.match(problems.join('\n'), /nope\): no such scenario/);
    assert.match(problems.join('\n'), /unknown backend transport carrier-pigeon/);
    assert.match(problems.join('\n'), /extra\): does not pass directly/);
  });

  test('an entry for a transport that did not run is neither used nor stale', () => {
    assert.deepEqual(check('## Expected failures\n- beta@stdio: because\n', []), []);
  });

  test('the direct run must pass every scored scenario; unscored ones may fail', () => {
    const failing = column('direct', undefined, ['alpha', 'extra']);
    assert.deepEqual(verdict([failing], [], tool, 'list.md'), ['2026-07-28: direct run is not 100% on the scored scenarios: alpha']);
  });
});
