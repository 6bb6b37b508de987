// Shared rate limits across replicas: two gateways with Redis session storage (a real
// redis-server) spend from one bucket, so a client cannot multiply its budget by the replica
// count; with Redis gone the limit fails open (calls go on) and counts as an `error` decision.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channels, type RateLimitEvent } from '../../src/observability/channels.js';
import { connectClient, EVERYTHING, startGateway, stdioBackend, type TestGateway } from '../helpers/gateway.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { connectRedis, whenReady } from '../../src/state/redis-connection.js';

type Client = Awaited<ReturnType<typeof connectClient>>;
const echo = (c: Client) => c.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'hi' } } });

async function outcome(p: Promise<unknown>): Promise<'ok' | number> {
  return p.then(
    () => 'ok' as const,
    (e: unknown) => (e as { code: number }).code,
  );
}

describe('rate limits shared by replicas through Redis', () => {
  let redis: RedisServer;
  const gateways: TestGateway[] = [];
  before(async () => {
    redis = await startRedis();
    const config = {
      name: 'rate-replicas',
      backends: [stdioBackend('everything', EVERYTHING, ['stdio'])],
      sessionStorage: { provider: 'redis', address: redis.address, keyPrefix: `rl-${process.pid}:` },
      rateLimiting: { shared: { maxTokens: 4, refillPeriod: '1h' } },
    };
    for (let i = 0; i < 2; i++) gateways.push(await startGateway(config));
  });
  after(async () => {
    for (const g of gateways) await g.close();
    await redis?.stop();
  });

  it('spends one budget on every replica, and fails open while Redis is down', async () => {
    await using a = await connectClient(gateways[0]!.url);
    await using b = await connectClient(gateways[1]!.url);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await outcome(echo(a)), await outcome(echo(b)));
    assert.deepEqual(results, ['ok', 'ok', 'ok', 'ok', 429, 429], 'four tokens in all, whichever replica serves the call');

    const decisions: RateLimitEvent[] = [];
    const onDecision = (m: unknown) => decisions.push(m as RateLimitEvent);
    channels.rateLimit.subscribe(onDecision);
    try {
      await redis.stop();
      assert.equal(await outcome(echo(a)), 'ok', 'an unreachable bucket store lets the call through');
      assert.ok(
        decisions.some((d) => d.decision === 'error'),
        `a fail-open take is an error decision: ${JSON.stringify(decisions)}`,
      );
    } finally {
      channels.rateLimit.unsubscribe(onDecision);
    }
  });
});

describe('several buckets per call, racing across replicas', () => {
  let redis: RedisServer;
  const gateways: TestGateway[] = [];
  before(async () => {
    redis = await startRedis();
    const config = {
      name: 'rate-race',
      backends: [stdioBackend('everything', EVERYTHING, ['stdio'])],
      sessionStorage: { provider: 'redis', address: redis.address, keyPrefix: `race-${process.pid}:` },
      rateLimiting: {
        shared: { maxTokens: 6, refillPeriod: '1h' },
        tools: [{ name: 'everything_echo', shared: { maxTokens: 3, refillPeriod: '1h' } }],
      },
    };
    for (let i = 0; i < 2; i++) gateways.push(await startGateway(config));
  });
  after(async () => {
    for (const g of gateways) await g.close();
    await redis?.stop();
  });

  it('admits exactly the budget when many calls race, and a refused call takes from no bucket', async () => {
    await using a = await connectClient(gateways[0]!.url);
    await using b = await connectClient(gateways[1]!.url);
    const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(echo(i % 2 ? a : b))));
    assert.equal(raced.filter((r) => r === 'ok').length, 3, `the tool's three tokens, no more: ${JSON.stringify(raced)}`);
    assert.equal(raced.filter((r) => r === 429).length, 17);
    // The 17 refused echo calls took nothing from the server's bucket: 6 - 3 tokens are left there.
    const sum = (c: Client) => c.request({ method: 'tools/call', params: { name: 'everything_get-sum', arguments: { a: 1, b: 2 } } });
    const rest = await Promise.all(Array.from({ length: 6 }, (_, i) => outcome(sum(i % 2 ? a : b))));
    assert.equal(rest.filter((r) => r === 'ok').length, 3, `what the server's bucket had left: ${JSON.stringify(rest)}`);
  });

  it("takes from the gateway's own Redis connection: no connection of its own for the buckets", async () => {
    const probe = connectRedis({ host: '127.0.0.1', port: redis.port, db: 0 }, 'probe');
    try {
      assert.ok(await whenReady(probe));
      const list = String(await probe.call('CLIENT', 'LIST'));
      const names = [...list.matchAll(/ name=(\S*)/g)].map((m) => m[1]!).filter((n) => n.startsWith('vmcp-'));
      // Per gateway: the shared connection and the bus's subscriber (both gateways here share a host and pid).
      assert.equal(names.length, 4, names.join(' '));
      assert.equal(names.filter((n) => n.endsWith('-bus')).length, 2, names.join(' '));
    } finally {
      probe.disconnect();
    }
  });
});
