// What one MCP request costs in Redis, counted by Redis itself (`CONFIG RESETSTAT`, then
// `INFO commandstats`; commands a Lua script runs are counted under their own names). A call
// takes one script for the rate-limit buckets (all of the call's buckets at once). A 2025-era
// call on a session this replica holds and can vouch for needs no session round trip: its TTL
// slides in the background at most once a second, and a change another replica announces makes
// the next call read the record again. A 2026-07-28 call has no session. docs/scaling.md quotes
// these figures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
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

function sessionIdOf(client: Client): string {
  const id = (client.transport as StreamableHTTPClientTransport | undefined)?.sessionId;
  assert.ok(id, 'a 2025-era session');
  return id;
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

  it('a 2025-era tools/call on a session this replica holds: only the buckets; the TTL slides in the background, at most once a second', async () => {
    await using client = await connectClient(gw.url);
    await client.request(echo);
    await probe.call('CONFIG', 'RESETSTAT');
    const started = Date.now();
    for (let i = 0; i < CALLS; i++) await client.request(echo);
    const elapsedMs = Date.now() - started;
    const counts = await commandCounts(probe);
    assert.equal(counts['hmget'], 2 * CALLS, 'both buckets read on every call');
    assert.equal(counts['hset'], 2 * CALLS);
    const slides = counts['get'] ?? 0; // the session script's GET
    assert.ok(slides <= Math.floor(elapsedMs / 1000) + 1, `${slides} slides in ${elapsedMs} ms`);
    assert.equal(counts['evalsha'], CALLS + slides, 'one bucket script per call, and the slides');
    assert.equal(counts['zadd'] ?? 0, 2 * slides, "a slide re-scores the session's two index entries");
  });

  it("slides the session's TTL while it is used", async () => {
    await using client = await connectClient(gw.url);
    await client.request(echo); // the handshake's record (initialized, full TTL) is in Redis
    const key = `ops:${sessionIdOf(client)}`;
    const ttl = await probe.pttl(key);
    const until = Date.now() + 1600;
    while (Date.now() < until) await client.request(echo);
    // Without a slide the TTL would be ~1.6 s lower; with one (after the first second) it is at most ~0.6 s lower.
    assert.ok((await probe.pttl(key)) > ttl - 1200, 'the TTL slid');
  });

  it('a change announced by another replica: the next call reads the record again (one round trip more), later ones do not', async () => {
    await using client = await connectClient(gw.url);
    await client.request(echo);
    const session = sessionIdOf(client);
    await probe.publish('ops:bus:all', JSON.stringify({ kind: 'session-record', session, from: 'another-replica' }));
    await probe.call('CONFIG', 'RESETSTAT');
    await client.request(echo);
    assert.equal((await commandCounts(probe))['get'], 1, 'the first call after the announcement read the record');
    await probe.call('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 5; i++) await client.request(echo);
    assert.equal((await commandCounts(probe))['get'] ?? 0, 0, 'the record read then is vouched for again');
  });
});
