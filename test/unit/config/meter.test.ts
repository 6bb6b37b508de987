// `audit:` and `rateLimiting:`: ToolHive's keys validate, defaults fill in, and the cross-field
// rules (perUser needs authenticated callers, one entry per tool, at least one bucket) are errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import { dump, errorsOf, yaml } from './helpers.js';

const base = 'name: x\nbackends: [{name: a, transport: stdio, command: node}]\n';

test('audit: defaults (ToolHive DefaultConfig), a relative logFile against the config file, enabled: false = off', () => {
  const on = loadConfigText(`${base}audit: {logFile: audit.log, excludeEventTypes: [mcp_ping]}\n`, { source: '/etc/vmcp/vmcp.yaml' });
  assert.deepEqual(on.config?.audit, {
    component: 'x',
    eventTypes: [],
    excludeEventTypes: ['mcp_ping'],
    includeRequestData: false,
    includeResponseData: false,
    detectApplicationErrors: true,
    maxDataSizeBytes: 1024,
    logFile: '/etc/vmcp/audit.log',
  });
  assert.equal(loadConfigText(`${base}audit: {enabled: false}\n`).config?.audit, undefined);
  assert.match(dump(loadConfigText(`${base}audit: {eventTypes: [mcp_nonsense]}\n`).issues), /audit\.eventTypes\[0\]/);
});

test('rateLimiting: durations in ms; perUser needs incomingAuth; duplicate tools; at least one bucket', () => {
  const ok = loadConfigText(
    yaml`
      name: x
      backends: [{name: a, transport: stdio, command: node}]
      incomingAuth: {apiKeys: [{name: k, sha256: ${'a'.repeat(64)}}]}
      rateLimiting:
        shared: {maxTokens: 10, refillPeriod: 1m}
        perUser: {maxTokens: 2, refillPeriod: 500ms}
        tools: [{name: a_echo, shared: {maxTokens: 1, refillPeriod: 1s}}]
    `,
  );
  assert.deepEqual(errorsOf(ok.issues), []);
  assert.deepEqual(ok.config?.rateLimiting, {
    shared: { maxTokens: 10, refillPeriodMs: 60_000 },
    perUser: { maxTokens: 2, refillPeriodMs: 500 },
    tools: [{ name: 'a_echo', shared: { maxTokens: 1, refillPeriodMs: 1000 } }],
    maxBuckets: 100_000,
  });
  const anon = loadConfigText(
    `${base}rateLimiting: {perUser: {maxTokens: 1, refillPeriod: 1s}, tools: [{name: t, perUser: {maxTokens: 1, refillPeriod: 1s}}]}\n`,
  );
  const messages = errorsOf(anon.issues).map((i) => `${i.path}: ${i.message}`);
  assert.ok(
    messages.some((m) => m.startsWith('rateLimiting.perUser: needs authenticated callers')),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => m.startsWith('rateLimiting.tools[0].perUser: needs authenticated callers')),
    messages.join('\n'),
  );
  const dup = loadConfigText(
    `${base}rateLimiting: {tools: [{name: t, shared: {maxTokens: 1, refillPeriod: 1s}}, {name: t, shared: {maxTokens: 2, refillPeriod: 1s}}]}\n`,
  );
  assert.match(dump(dup.issues), /duplicate tool "t"/);
  assert.match(dump(loadConfigText(`${base}rateLimiting: {}\n`).issues), /at least one of shared, perUser or tools/);
  assert.match(dump(loadConfigText(`${base}rateLimiting: {tools: [{name: t}]}\n`).issues), /needs shared or perUser/);
  assert.match(dump(loadConfigText(`${base}rateLimiting: {shared: {maxTokens: 1, refillPeriod: 0s}}\n`).issues), /longer than 0/);
});
