// Shared rate limits across replicas: two gateways with Redis session storage (a real
// redis-server) spend from one bucket, so a client cannot multiply its budget by the replica
// count; with Redis gone the limit fails open (calls go on) and counts as an `error` decision.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channels, type RateLimitEvent } from '../../src/observability/channels.js';
import { connectClient, EVERYTHING, startGateway, stdioBackend, type TestGateway } from '../helpers/gateway.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

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
