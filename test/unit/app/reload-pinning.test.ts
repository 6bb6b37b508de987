// A reload and tool pinning: a new policy is applied live, turning pinning on or moving its store
// is reported as needing a restart (the store is read once, before any backend connects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfig } from '../../../src/app/reload-diff.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { RuntimeConfig } from '../../../src/config/types.js';

function load(aggregation: Record<string, unknown>): RuntimeConfig {
  const doc = { name: 'd', backends: [{ name: 'a', transport: 'stdio', command: 'node' }], aggregation };
  const { config, issues } = loadConfigText(JSON.stringify(doc), { source: '/tmp/d.yaml' });
  assert.ok(config, JSON.stringify(issues));
  return config;
}

test('pinning: a policy change is live, turning it on or a new store needs a restart', () => {
  const hide = load({ pinning: 'hide' });
  assert.deepEqual(diffConfig(hide, load({ pinning: 'warn' })).restartOnly, []);
  assert.ok(diffConfig(hide, load({ pinning: 'warn' })).live.has('features'));
  assert.deepEqual(diffConfig(hide, load({})).restartOnly, []);
  assert.deepEqual(diffConfig(load({}), hide).restartOnly, ['aggregation.pinning']);
  assert.deepEqual(diffConfig(hide, load({ pinning: 'hide', pinStore: 'other.json' })).restartOnly, ['aggregation.pinning']);
});
