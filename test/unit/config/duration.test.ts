import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMER_MS, parseDuration, tryParseDuration } from '../../../src/config/duration.js';

test('parses single-unit durations', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('0s'), 0);
});

test('parses fractions and compound durations', () => {
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1m5s250ms'), 65_250);
  assert.equal(parseDuration('0.5ms'), 1, 'rounds to a whole millisecond');
});

test('rejects malformed durations', () => {
  for (const bad of ['', '10', 's', '1 s', '1d', '-5s', '1.s', '.5s', '5S', '1h 30m', '1us']) {
    assert.throws(() => parseDuration(bad), RangeError, bad);
    assert.equal(tryParseDuration(bad), undefined, bad);
  }
  assert.equal(tryParseDuration(42), undefined);
});

test('MAX_TIMER_MS is the setTimeout limit', () => {
  assert.equal(MAX_TIMER_MS, 2_147_483_647);
});
