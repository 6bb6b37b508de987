// Percentile/median helpers used by `npm run bench` (bench/lib/stats.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, median, medianOf, percentile, percentileSorted, round, summarize, throughput } from '../../bench/lib/stats.js';

test('percentile uses nearest rank: always a measured value', () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentileSorted(s, 50), 5);
  assert.equal(percentileSorted(s, 90), 9);
  assert.equal(percentileSorted(s, 99), 10);
  assert.equal(percentileSorted(s, 100), 10);
  assert.equal(percentileSorted(s, 0), 1);
  assert.equal(percentileSorted(s, 10), 1);
  assert.equal(percentileSorted(s, 11), 2);
});

test('p99 of 300 samples is the 297th smallest', () => {
  const s = Array.from({ length: 300 }, (_, i) => i + 1);
  assert.equal(percentileSorted(s, 99), 297);
  assert.equal(percentileSorted(s, 50), 150);
});

test('percentile sorts a copy of unsorted input', () => {
  const input = [5, 1, 4, 2, 3];
  assert.equal(percentile(input, 50), 3);
  assert.equal(percentile(input, 100), 5);
  assert.deepEqual(input, [5, 1, 4, 2, 3]);
});

test('percentile of one sample is that sample; of none is NaN', () => {
  assert.equal(percentile([7], 1), 7);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('percentile rejects p outside [0, 100]', () => {
  assert.throws(() => percentile([1], 101), RangeError);
  assert.throws(() => percentile([1], -1), RangeError);
  assert.throws(() => percentile([1], Number.NaN), RangeError);
});

test('median: middle value, mean of the two middles, NaN when empty, ignores NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([10]), 10);
  assert.ok(Number.isNaN(median([])));
  assert.equal(median([Number.NaN, 1, 3]), 2);
});

test('summarize reports count, percentiles, min, max and mean', () => {
  const s = summarize([4, 2, 8, 6]);
  assert.deepEqual(s, { count: 4, p50: 4, p90: 8, p99: 8, min: 2, max: 8, mean: 5 });
  const empty = summarize([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.min) && Number.isNaN(empty.mean));
});

test('throughput is calls per second; NaN for zero wall time', () => {
  assert.equal(throughput(300, 1000), 300);
  assert.equal(throughput(50, 250), 200);
  assert.ok(Number.isNaN(throughput(10, 0)));
});

test('medianOf takes the median of each field across rounds', () => {
  assert.deepEqual(
    medianOf([
      { a: 1, b: 10 },
      { a: 3, b: 30 },
      { a: 2, b: 20 },
    ]),
    { a: 2, b: 20 },
  );
  assert.deepEqual(medianOf([{ a: 1 }, { a: 2 }]), { a: 1.5 });
  assert.deepEqual(medianOf<'a'>([]), {});
});

test('mean and round', () => {
  assert.equal(mean([1, 2, 3]), 2);
  assert.ok(Number.isNaN(mean([])));
  assert.equal(round(1.23456, 2), 1.23);
  assert.equal(round(2.5, 0), 3);
});

test(
  'cpuNanos reads a process’s CPU time from the kernel, and nothing for a process that is gone',
  { skip: process.platform !== 'linux' },
  async () => {
    const { cpuNanos } = await import('../../bench/lib/procs.js');
    const before = cpuNanos(process.pid);
    assert.ok(before !== undefined && before > 0);
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 30_000); // 30 ms of CPU, however loaded the machine
    const after = cpuNanos(process.pid)!;
    assert.ok(after - before >= 20e6, `at least 20 ms more, got ${(after - before) / 1e6} ms`);
    assert.equal(cpuNanos(2 ** 22 + 1), undefined);
  },
);
