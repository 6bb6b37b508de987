// What of a call reaches the audit log: secret-named keys redacted at any depth, data over
// audit.maxDataSize replaced by a note (never cut JSON), and ToolHive's event-type filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterOf } from '../../../src/app/audit/feature.js';
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

test('event filter: empty eventTypes = all; excludeEventTypes wins', () => {
  const all = filterOf({ eventTypes: [], excludeEventTypes: ['mcp_ping'] });
  assert.equal(all('mcp_tool_call'), true);
  assert.equal(all('mcp_ping'), false);
  const some = filterOf({ eventTypes: ['mcp_tool_call', 'http_request'], excludeEventTypes: ['http_request'] });
  assert.deepEqual([some('mcp_tool_call'), some('http_request'), some('mcp_tools_list')], [true, false, false]);
});
