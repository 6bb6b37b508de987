import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveNames, type Candidate, type ResolveOptions } from '../../../src/aggregation/conflicts.js';
import { fitName, prefixFor } from '../../../src/aggregation/naming.js';

const c = (backend: string, name: string, original = name): Candidate => ({ backend, original, name });
const base: ResolveOptions = { kind: 'tool', strategy: 'prefix', prefixFormat: '{workload}_', priorityOrder: [], maxLength: 64 };
const finals = (r: { resolved: { final: string; backend: string }[] }) => r.resolved.map((x) => `${x.backend}:${x.final}`).sort();

describe('naming', () => {
  it('expands every {workload} in the prefix format', () => {
    assert.equal(prefixFor('{workload}_', 'gh'), 'gh_');
    assert.equal(prefixFor('{workload}.{workload}.', 'a'), 'a.a.');
    assert.equal(prefixFor('static-', 'a'), 'static-');
  });

  it('keeps short names and shortens long ones deterministically with a hash', () => {
    assert.equal(fitName('short', 64), 'short');
    const long = 'a'.repeat(80);
    const fitted = fitName(long, 64);
    assert.equal(fitted.length, 64);
    assert.equal(fitted, fitName(long, 64));
    assert.match(fitted, /^a{55}_[0-9a-f]{8}$/);
    assert.notEqual(fitName(`${long}1`, 64), fitName(`${long}2`, 64));
  });
});

describe('resolveNames', () => {
  it('prefix: prefixes everything, conflicts or not', () => {
    const r = resolveNames([c('a', 'x'), c('b', 'x'), c('b', 'y')], base);
    assert.deepEqual(finals(r), ['a:a_x', 'b:b_x', 'b:b_y']);
    assert.deepEqual(r.problems, []);
  });

  it('priority: the earliest listed backend wins; unique names stay bare; losers are reported', () => {
    const r = resolveNames([c('a', 'x'), c('b', 'x'), c('c', 'z')], { ...base, strategy: 'priority', priorityOrder: ['b', 'a'] });
    assert.deepEqual(finals(r), ['b:x', 'c:z']);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.match(r.problems[0]!.message, /"b" wins/);
  });

  it('priority: conflicts among unlisted backends fall back to prefixes', () => {
    const r = resolveNames([c('a', 'x'), c('b', 'x')], { ...base, strategy: 'priority', priorityOrder: ['z'] });
    assert.deepEqual(finals(r), ['a:a_x', 'b:b_x']);
  });

  it('manual: an unresolved tool conflict is an error naming both backends; prompts fall back to prefixes', () => {
    const r = resolveNames([c('a', 'x'), c('b', 'x'), c('b', 'y')], { ...base, strategy: 'manual' });
    assert.deepEqual(finals(r), ['b:y']);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.match(r.problems[0]!.message, /"a" and "b"/);
    const p = resolveNames([c('a', 'x'), c('b', 'x')], { ...base, kind: 'prompt', strategy: 'manual' });
    assert.deepEqual(finals(p), ['a:a_x', 'b:b_x']);
  });

  it('a collision of final names drops every claimant and reports it (never a silent winner)', () => {
    // prefix "a_" + "b_c" and prefix "a_b_" + "c" both make "a_b_c"
    const r = resolveNames([c('a', 'b_c'), c('a_b', 'c'), c('a', 'ok')], base);
    assert.deepEqual(finals(r), ['a:a_ok']);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.match(r.problems[0]!.message, /"a_b_c" is claimed by/);
  });

  it('shortening happens before the collision check', () => {
    const long = 'n'.repeat(70);
    const r = resolveNames([c('a', long), c('a', `${long}x`)], { ...base, maxLength: 32 });
    assert.equal(r.resolved.length, 2);
    assert.ok(r.resolved.every((x) => x.final.length <= 32));
  });
});
