// The in-memory token buckets: start full, refill continuously, all or nothing across buckets,
// retry time to the next token, bounded size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeAll, type BucketDecision, type BucketRule, type BucketStore } from '../../../src/state/buckets.js';
import { InMemoryBucketStore } from '../../../src/state/memory-buckets.js';

const rule: BucketRule = { maxTokens: 2, refillPeriodMs: 1000 };

test('a bucket starts full, refuses when empty with the time to one token, and refills continuously', async () => {
  const s = new InMemoryBucketStore();
  assert.deepEqual(await s.take('k', rule, 0), { allowed: true, remaining: 1, retryAfterMs: 0 });
  assert.equal((await s.take('k', rule, 0)).allowed, true);
  const no = await s.take('k', rule, 0);
  assert.equal(no.allowed, false);
  assert.equal(no.retryAfterMs, 500);
  assert.equal((await s.take('k', rule, 250)).retryAfterMs, 250);
  assert.equal((await s.take('k', rule, 500)).allowed, true);
  assert.equal((await s.take('k', rule, 10_000)).remaining, 1, 'never more than maxTokens');
});

test('takeAll is all or nothing: a refusing bucket leaves the others untouched', async () => {
  const s = new InMemoryBucketStore();
  const tight: BucketRule = { maxTokens: 1, refillPeriodMs: 60_000 };
  await s.take('tool', tight, 0);
  const d = await s.takeAll(
    [
      { key: 'server', rule },
      { key: 'tool', rule: tight },
    ],
    0,
  );
  assert.equal(d.allowed, false);
  assert.equal(d.rejected, 1);
  assert.equal((await s.take('server', rule, 0)).remaining, 1, 'the server bucket kept both tokens');
});

test('the generic takeAll falls back to bucket by bucket for a store without it', async () => {
  const inner = new InMemoryBucketStore();
  const plain: BucketStore = { take: (k, r, n): Promise<BucketDecision> => inner.take(k, r, n), close: () => inner.close() };
  const d = await takeAll(
    plain,
    [
      { key: 'a', rule },
      { key: 'b', rule: { maxTokens: 1, refillPeriodMs: 1000 } },
    ],
    0,
  );
  assert.deepEqual(d, { allowed: true, remaining: 0, retryAfterMs: 0 });
  assert.equal((await takeAll(plain, [{ key: 'b', rule: { maxTokens: 1, refillPeriodMs: 1000 } }], 0)).rejected, 0);
});

test('at most maxBuckets are kept; idle full buckets are dropped', async () => {
  const s = new InMemoryBucketStore({ maxBuckets: 3 });
  for (let i = 0; i < 10; i++) await s.take(`k${i}`, rule, 0);
  assert.equal(s.size, 3);
  await s.take('late', rule, 5000);
  assert.equal(s.size, 1, 'buckets idle a whole refill period are gone');
});
