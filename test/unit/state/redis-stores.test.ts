// RedisSessionStore and RedisBucketStore against a real redis-server: two stores on two
// connections stand for two replicas.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, whenReady } from '../../../src/state/redis-connection.js';
import { RedisBucketStore } from '../../../src/state/redis-buckets.js';
import { RedisReplicaBus } from '../../../src/state/redis-replica-bus.js';
import { RedisSessionStore } from '../../../src/state/redis-sessions.js';
import type { SessionRecord } from '../../../src/state/sessions.js';
import { waitFor } from '../../helpers/gateway.js';
import { startRedis, type RedisServer } from '../../helpers/redis.js';

function record(quotaKey = 'principal:a', initialized = true): SessionRecord {
  const now = Date.now();
  const owner = { kind: 'oidc', issuer: 'i', subject: 's' };
  return {
    id: randomUUID(),
    era: 'legacy',
    protocolVersion: '2025-11-25',
    clientCapabilities: {},
    owner,
    quotaKey,
    createdAt: now,
    lastSeenAt: now,
    initialized,
    subscriptions: [],
  };
}

describe('Redis stores (real redis-server)', { timeout: 30_000 }, () => {
  let server: RedisServer;
  let a: Redis;
  let b: Redis;
  before(async () => {
    server = await startRedis();
    const endpoint = { host: '127.0.0.1', port: server.port, db: 0 };
    [a, b] = [connectRedis(endpoint, 'a'), connectRedis(endpoint, 'b')];
    assert.ok((await whenReady(a)) && (await whenReady(b)));
  });
  after(async () => {
    a?.disconnect();
    b?.disconnect();
    await server?.stop();
  });

  it('a session created through one store is read, counted, slid and deleted through another', async () => {
    const opts = { keyPrefix: 't1:', ttlMs: 60_000, initTimeoutMs: 1000, checkIntervalMs: 0 };
    const one = new RedisSessionStore({ redis: a, ...opts });
    const two = new RedisSessionStore({ redis: b, ...opts });
    const r = { ...record(), logLevel: 'debug', subscriptions: ['file:///x'] };
    await one.create(r);
    assert.deepEqual(await two.get(r.id), r);
    assert.equal(await two.size(), 1);
    assert.equal(await two.countFor('principal:a'), 1);
    assert.ok((await a.pttl(`t1:${r.id}`)) > 59_000);
    await two.delete(r.id);
    assert.equal(await one.get(r.id), undefined);
    assert.equal(await one.size(), 0);
    assert.equal(await one.countFor('principal:a'), 0);
    assert.equal(await one.get('t1:index:all'), undefined, 'a session id that is not a UUID never names a key');
  });

  it('with the bus: a record held here is answered without Redis until another replica announces a change, or the bus drops', async () => {
    const endpoint = { host: '127.0.0.1', port: server.port, db: 0 };
    const subs = [connectRedis(endpoint, 'sub-a'), connectRedis(endpoint, 'sub-b')];
    const [busA, busB] = [new RedisReplicaBus(a, subs[0]!, 't6:', 'a'), new RedisReplicaBus(b, subs[1]!, 't6:', 'b')];
    try {
      await waitFor(() => busA.listeningSince !== undefined && busB.listeningSince !== undefined, 'both buses listening');
      const opts = { keyPrefix: 't6:', ttlMs: 60_000, initTimeoutMs: 1000, checkIntervalMs: 0 };
      const one = new RedisSessionStore({ redis: a, ...opts, bus: busA });
      const two = new RedisSessionStore({ redis: b, ...opts, bus: busB });
      const r = record('principal:c');
      await one.create(r);
      assert.deepEqual(await two.get(r.id), r);

      await one.update({ ...r, logLevel: 'error' });
      await waitFor(async () => (await two.get(r.id))?.logLevel === 'error', "the other replica's change");

      // Gone behind the stores' backs (no announcement): still vouched for here, from memory...
      await a.del(`t6:${r.id}`);
      assert.equal((await two.get(r.id))?.logLevel, 'error', 'answered without a round trip');
      // ...until the bus drops: what was heard before a gap is not trusted.
      subs[1]!.disconnect();
      await waitFor(() => busB.listeningSince === undefined, 'the bus gone');
      assert.equal(await two.get(r.id), undefined, 'read from Redis again');

      const s = record('principal:d');
      await one.create(s);
      assert.ok(await one.get(s.id));
      await two.delete(s.id);
      await waitFor(async () => (await one.get(s.id)) === undefined, 'the delete announced');
      assert.equal(await one.countFor('principal:d'), 0);
    } finally {
      for (const sub of subs) sub.disconnect();
    }
  });

  it('a session that never finished its handshake expires after initTimeout; check() reports it', async () => {
    const store = new RedisSessionStore({ redis: a, keyPrefix: 't2:', ttlMs: 60_000, initTimeoutMs: 150, checkIntervalMs: 0 });
    const expired: string[] = [];
    store.onExpire((id) => expired.push(id));
    const r = record('principal:b', false);
    await store.create(r);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await store.get(r.id), undefined);
    assert.equal(await store.countFor('principal:b'), 0);
    await store.create(record('principal:b', false));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await store.check()).length, 1);
    assert.equal(expired.length, 1);
  });

  it('buckets: concurrent takes from two replicas never spend more than the budget; refill follows the clock', async () => {
    const one = new RedisBucketStore({ redis: a, keyPrefix: 't3:' });
    const two = new RedisBucketStore({ redis: b, keyPrefix: 't3:' });
    const rule = { maxTokens: 10, refillPeriodMs: 10_000 };
    const now = 1_000_000;
    const takes = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).take('user', rule, now)));
    assert.equal(takes.filter((t) => t.allowed).length, 10);
    const refused = takes.find((t) => !t.allowed)!;
    assert.equal(refused.retryAfterMs, 1000);
    assert.equal((await one.take('user', rule, now + 999)).allowed, false);
    assert.equal((await two.take('user', rule, now + 1000)).allowed, true);
  });

  it('buckets: takeAll is all or nothing across buckets, and racing replicas never over-admit', async () => {
    const one = new RedisBucketStore({ redis: a, keyPrefix: 't5:' });
    const two = new RedisBucketStore({ redis: b, keyPrefix: 't5:' });
    const server = { key: 'server', rule: { maxTokens: 5, refillPeriodMs: 10_000 } };
    const tool = { key: 'tool', rule: { maxTokens: 2, refillPeriodMs: 10_000 } };
    const now = 2_000_000;
    const raced = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).takeAll([server, tool], now)));
    assert.equal(raced.filter((d) => d.allowed).length, 2);
    const refused = raced.find((d) => !d.allowed)!;
    assert.equal(refused.rejected, 1, 'the tool bucket refused');
    assert.equal(refused.retryAfterMs, 5000);
    const left = await one.takeAll([server], now);
    assert.deepEqual(left, { allowed: true, remaining: 2, retryAfterMs: 0 }, 'only the two admitted calls took from the server bucket');
  });

  it('buckets fail open, and say so, while Redis is unreachable', async () => {
    const lost = connectRedis({ host: '127.0.0.1', port: 1, db: 0 }, 'lost');
    const errors: Error[] = [];
    const store = new RedisBucketStore({ redis: lost, keyPrefix: 't4:', onFailOpen: (e) => errors.push(e) });
    const d = await store.take('user', { maxTokens: 1, refillPeriodMs: 1000 }, Date.now());
    lost.disconnect();
    assert.equal(d.allowed, true);
    assert.equal(errors.length, 1);
  });
});
