// WWW-Authenticate formatting (RFC 6750 §3): attribute order, and values that cannot escape quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerChallenge, quotable } from '../../../src/auth/incoming/challenge.js';

test('challenges', () => {
  assert.equal(bearerChallenge({}), 'Bearer');
  assert.equal(
    bearerChallenge({ resourceMetadata: 'https://g/.well-known/oauth-protected-resource/mcp', scopes: ['a', 'b'] }),
    'Bearer resource_metadata="https://g/.well-known/oauth-protected-resource/mcp", scope="a b"',
  );
  assert.equal(
    bearerChallenge({ resourceMetadata: 'https://g/m', error: 'invalid_token', description: 'token expired' }),
    'Bearer resource_metadata="https://g/m", error="invalid_token", error_description="token expired"',
  );
  assert.equal(
    bearerChallenge({ error: 'insufficient_scope', description: 'missing', scopes: ['mcp:tools'] }),
    'Bearer error="insufficient_scope", error_description="missing", scope="mcp:tools"',
  );
});

test('quoted values hold only the characters RFC 6750 allows', () => {
  assert.equal(quotable('say "hi"\\ now\r\nX: é'), "say 'hi'? now??X: ?");
});
