import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySessionStore } from '../../../src/edge/sessions.js';

describe('InMemorySessionStore', () => {
  it('expires idle sessions after the TTL (injected clock) and reports them', async () => {
    let now = 1_000;
    const expired: string[] = [];
    const store = new InMemorySessionStore({
      ttlMs: 100,
      clock: { now: () => now },
      sweepIntervalMs: 0,
    });
    store.onExpire((id) => expired.push(id));
    await store.create({ id: 'a', era: 'legacy', createdAt: now, lastSeenAt: now });
    await store.create({ id: 'b', era: 'legacy', createdAt: now, lastSeenAt: now });
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
});
