// `aggregation.pinning` / `aggregation.pinStore`: the runtime form (store next to the config, or
// Redis with Redis sessions), a bad policy named, and the warnings for a store nothing uses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';

const load = (extra: Record<string, unknown>) =>
  loadConfigText(JSON.stringify({ name: 'p', backends: [{ name: 'a', transport: 'stdio', command: 'node' }], ...extra }), {
    source: '/etc/vmcp/vmcp.yaml',
  });

describe('pinning config', () => {
  it('defaults to off with the file next to the config; Redis sessions put the pins in Redis', () => {
    assert.deepEqual(load({}).config?.pinning, { policy: 'off', store: { kind: 'file', path: '/etc/vmcp/vmcp-pins.json' } });
    assert.deepEqual(load({ aggregation: { pinning: 'hide', pinStore: 'state/pins.json' } }).config?.pinning, {
      policy: 'hide',
      store: { kind: 'file', path: '/etc/vmcp/state/pins.json' },
    });
    assert.deepEqual(load({ aggregation: { pinning: 'hide', pinApprovers: ['ops', 'ops', 'sre'] } }).config?.pinning.approvers, [
      'ops',
      'sre',
    ]);
    assert.equal(
      load({ aggregation: { pinning: 'hide', pinApprovers: [] } }).config,
      undefined,
      'an empty approver list would lock everyone out',
    );
    const redis = load({ aggregation: { pinning: 'warn' }, sessionStorage: { provider: 'redis', address: '127.0.0.1:6379' } });
    assert.deepEqual(redis.config?.pinning, { policy: 'warn', store: { kind: 'redis' } });
  });

  it('names a bad policy and warns about a store nothing uses', () => {
    const bad = load({ aggregation: { pinning: 'block' } });
    assert.equal(bad.config, undefined);
    assert.ok(
      bad.issues.some((i) => i.path === 'aggregation.pinning' && /off.*warn.*hide.*quarantine/.test(i.message)),
      JSON.stringify(bad.issues),
    );
    const unused = load({ aggregation: { pinStore: 'pins.json' } });
    assert.ok(unused.config);
    assert.ok(
      unused.issues.some((i) => i.severity === 'warning' && /pinStore has no effect while aggregation\.pinning is off/.test(i.message)),
    );
    const split = load({ aggregation: { pinning: 'hide', pinStore: 'p.json' }, sessionStorage: { provider: 'redis', address: 'r:6379' } });
    assert.ok(split.issues.some((i) => i.severity === 'warning' && /each replica keeps its own pin file/.test(i.message)));
  });
});
