// What of a call's data reaches the audit log: secret-named keys redacted at any depth, and data
// over audit.maxDataSize replaced by a note (never cut JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bounded, redact, REDACTED } from '../../../src/app/audit/redact.js';

test('secret-looking keys are redacted at any depth; others are kept', () => {
  const v = redact({
    name: 'x',
    arguments: {
      password: 'p',
      apiKey: 'k',
      api_key: 'k',
      nested: [{ accessToken: 't', Authorization: 'a', author: 'me', passport: 'ok' }],
    },
  });
  assert.deepEqual(v, {
    name: 'x',
    arguments: {
      password: REDACTED,
      apiKey: REDACTED,
      api_key: REDACTED,
      nested: [{ accessToken: REDACTED, Authorization: REDACTED, author: 'me', passport: 'ok' }],
    },
  });
});

test('data larger than maxDataSize becomes a note naming the limit', () => {
  assert.deepEqual(bounded({ a: 1 }, 100), { a: 1 });
  assert.match(String(bounded({ text: 'x'.repeat(200) }, 100)), /^\[omitted: \d+ bytes, more than audit\.maxDataSize \(100\)\]$/);
});
