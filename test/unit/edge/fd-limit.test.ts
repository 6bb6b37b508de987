import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveMaxConnections, openFileLimit } from '../../../src/edge/fd-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            512                  4096                 files
`;

test('reads the soft open-file limit', () => {
  assert.equal(
    openFileLimit(() => LIMITS),
    512,
  );
  assert.equal(
    openFileLimit(() => 'garbage'),
    undefined,
  );
  assert.equal(
    openFileLimit(() => {
      throw new Error('no /proc');
    }),
    undefined,
  );
});

test('caps connections below the descriptor limit, keeping a reserve', () => {
  assert.equal(effectiveMaxConnections(1024, 512), 448);
  assert.equal(effectiveMaxConnections(300, 512), 300);
  assert.equal(effectiveMaxConnections(1024, undefined), 1024);
  assert.equal(effectiveMaxConnections(1024, 40), 16);
});
