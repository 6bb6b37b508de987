import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySessionStore, type SessionRecord } from '../../../src/state/sessions.js';

const record = (id: string, now: number, quotaKey = 'addr:1'): SessionRecord => ({
  id,
  era: 'legacy',
  protocolVersion: '2025-11-25',
  clientCapabilities: {},
  owner: { kind: 'anonymous', issuer: '', subject: 'anonymous' },
  quotaKey,
  createdAt: now,
  lastSeenAt: now,
  initialized: true,
  subscriptions: [],
});

describe('InMemorySessionStore', () => {
  it('expires idle sessions after the TTL (injected clock) and reports them', async () => {
    let now = 1_000;
    const expired: string[] = [];
    const store = new InMemorySessionStore({ ttlMs: 100, clock: { now: () => now }, sweepIntervalMs: 0 });
    store.onExpire((id) => expired.push(id));
    await store.create(record('a', now));
    await store.create(record('b', now));
    now += 80;
    assert.equal(await store.touch('a'), true, 'activity keeps a session alive');
    now += 50;
    assert.deepEqual(store.sweep(), ['b']);
    assert.deepEqual(expired, ['b']);
    assert.equal(await store.get('b'), undefined);
    assert.ok(await store.get('a'));
    now += 101;
    assert.equal(await store.touch('a'), false, 'an expired session cannot be revived');
    await store.close();
    assert.equal(await store.size(), 0);
  });

  it('expires a session that never finished its handshake after the init timeout', async () => {
    let now = 1_000;
    const store = new InMemorySessionStore({ ttlMs: 60_000, initTimeoutMs: 50, clock: { now: () => now }, sweepIntervalMs: 0 });
    await store.create({ ...record('half', now), initialized: false });
    await store.create(record('done', now));
    now += 60;
    assert.deepEqual(store.sweep(), ['half']);
    assert.ok(await store.get('done'));
    await store.close();
  });

  it('counts live sessions per quota key', async () => {
    const store = new InMemorySessionStore({ ttlMs: 60_000, sweepIntervalMs: 0 });
    await store.create(record('a', Date.now(), 'k1'));
    await store.create(record('b', Date.now(), 'k1'));
    await store.create(record('c', Date.now(), 'k2'));
    assert.equal(await store.countFor('k1'), 2);
    await store.delete('a');
    assert.equal(await store.countFor('k1'), 1);
    assert.equal(await store.countFor('k3'), 0);
    await store.close();
  });
});
