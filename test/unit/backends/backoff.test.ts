import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, defaultBackoff } from '../../../src/backends/backoff.js';
import { describeError } from '../../../src/backends/errors.js';

describe('reconnect backoff', () => {
  it('grows exponentially to the cap, with bounded jitter', () => {
    const mid = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => backoffDelay(a, defaultBackoff, mid)),
      [500, 1000, 2000, 4000],
    );
    assert.equal(backoffDelay(50, defaultBackoff, mid), 30_000);
    assert.equal(
      backoffDelay(1, defaultBackoff, () => 0),
      400,
    );
    assert.equal(
      backoffDelay(1, defaultBackoff, () => 1),
      600,
    );
  });
});

describe('describeError', () => {
  it('strips credentials from URLs in error messages', () => {
    const msg = describeError(new Error('fetch failed for https://user:pw@host/x?access_token=abc123&x=1'));
    assert.ok(!msg.includes('pw@') && !msg.includes('abc123'), msg);
    assert.match(msg, /access_token=\*\*\*/);
  });
});
