// API keys: only hashes are held; matching is by SHA-256 in constant time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ApiKeyStore, sha256Hex } from '../../../src/auth/incoming/api-keys.js';

const KEY = 'vmcp_live_3f9a7c1e5b';

test('sha256Hex is the hex SHA-256 `sha256sum` prints', () => {
  assert.equal(sha256Hex('test'), '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
});

test('the right key gives its principal; a wrong one, a prefix or the hash itself does not', () => {
  const store = new ApiKeyStore([
    { name: 'other', sha256: sha256Hex('other-key'), scopes: [] },
    { name: 'ci-bot', sha256: sha256Hex(KEY), scopes: ['mcp:tools'] },
  ]);
  assert.equal(store.size, 2);
  assert.deepEqual(store.match(KEY), { kind: 'api-key', subject: 'ci-bot', scopes: ['mcp:tools'], claims: {} });
  assert.ok(Object.isFrozen(store.match(KEY)));
  for (const wrong of ['', 'x', KEY.slice(0, -1), `${KEY} `, KEY.toUpperCase(), sha256Hex(KEY)]) {
    assert.equal(store.match(wrong), undefined, JSON.stringify(wrong));
  }
});

test('the store holds hashes only: nothing it prints contains the key', () => {
  const store = new ApiKeyStore([{ name: 'ci-bot', sha256: sha256Hex(KEY), scopes: [] }]);
  assert.ok(!inspect(store, { depth: 5, showHidden: true }).includes(KEY));
  assert.ok(!JSON.stringify(store).includes(KEY));
  assert.equal(new ApiKeyStore([]).match(KEY), undefined);
});
