// What one MCP request costs in Redis, counted by Redis itself (`CONFIG RESETSTAT`, then
// `INFO commandstats`; commands a Lua script runs are counted under their own names): a
// 2025-era tools/call on a known session is one script for the session (get + slide the TTL)
// and one for the rate-limit buckets (all of the call's buckets at once); a 2026-07-28 call has
// no session, so only the buckets. docs/scaling.md quotes these figures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { connectClient, EVERYTHING, startGateway, stdioBackend, type TestGateway } from '../helpers/gateway.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { connectRedis, whenReady } from '../../src/state/redis-connection.js';

const CALLS = 20;

/** Calls per command since the last reset (`cmdstat_evalsha:calls=40,...`). */
async function commandCounts(redis: Redis): Promise<Record<string, number>> {
  const info = String(await redis.call('INFO', 'commandstats'));
  const counts: Record<string, number> = {};
  for (const [, name, calls] of info.matchAll(/^cmdstat_([\w|-]+):calls=(\d+)/gm)) counts[name!] = Number(calls);
  return counts;
}

/** Commands per call, without the probe's own INFO and RESETSTAT. */
async function perCall(redis: Redis, run: () => Promise<unknown>): Promise<Record<string, number>> {
  await run(); // the first use of each script loads it (EVALSHA refused, then EVAL): not part of a steady request
  await redis.call('CONFIG', 'RESETSTAT');
  for (let i = 0; i < CALLS; i++) await run();
  const counts = await commandCounts(redis);
  delete counts['info'];
  delete counts['config|resetstat'];
  delete counts['config'];
  // The periodic expiry check (EXISTS per session held) is not part of a request.
  delete counts['exists'];
  return Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n / CALLS]));
}

describe('Redis operations per request', { timeout: 60_000 }, () => {
  let server: RedisServer;
  let gw: TestGateway;
  let probe: Redis;
  before(async () => {
    server = await startRedis();
    gw = await startGateway({
      name: 'redis-ops',
      backends: [stdioBackend('everything', EVERYTHING, ['stdio'])],
      sessionStorage: { provider: 'redis', address: server.address, keyPrefix: 'ops:' },
      rateLimiting: {
        shared: { maxTokens: 1000, refillPeriod: '1h' },
        tools: [{ name: 'everything_echo', shared: { maxTokens: 1000, refillPeriod: '1h' } }],
      },
    });
    probe = connectRedis({ host: '127.0.0.1', port: server.port, db: 0 }, 'probe');
    assert.ok(await whenReady(probe));
  });
  after(async () => {
    probe?.disconnect();
    await gw?.close();
    await server?.stop();
  });

  const echo = { method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'hi' } } } as const;

  // The stateless era first: closing the 2025-era session afterwards costs Redis commands of its own.
  it('a 2026-07-28 tools/call: one round trip (both buckets), no session', async () => {
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    const counts = await perCall(probe, () => client.request(echo));
    assert.deepEqual(counts, { evalsha: 1, hmget: 2, hset: 2, pexpire: 2 });
  });

  it('a 2025-era tools/call: two round trips (the session, then both buckets at once)', async () => {
    await using client = await connectClient(gw.url);
    const counts = await perCall(probe, () => client.request(echo));
    assert.deepEqual(counts, {
      evalsha: 2, // session get-and-slide, bucket take-all
      get: 1,
      pexpire: 3, // the session record, and each of the two buckets
      zadd: 2, // the session's place in both indexes
      hmget: 2,
      hset: 2,
    });
  });
});
