// Rate limits through the front door (real gateway, server-everything over stdio): the shared,
// per-user and per-tool buckets, all or nothing across them, both eras' refusal shapes, refill, and
// that lists are free and refusals never count against the backend's health.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connectClient, EVERYTHING, startGateway, stdioBackend, waitFor } from '../helpers/gateway.js';

const ALICE = 'alice-rate-key-1111';
const BOB = 'bob-rate-key-2222';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const keys = {
  type: 'anonymous',
  apiKeys: [
    { name: 'alice', sha256: sha(ALICE) },
    { name: 'bob', sha256: sha(BOB) },
  ],
};
const backends = [stdioBackend('everything', EVERYTHING, ['stdio'])];

type Client = Awaited<ReturnType<typeof connectClient>>;
const echo = (c: Client, message = 'hi') =>
  c.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message } } });
const add = (c: Client) => c.request({ method: 'tools/call', params: { name: 'everything_get-sum', arguments: { a: 1, b: 2 } } });

interface Refusal {
  code: number;
  message: string;
  data: { code: string; retryAfterSeconds: number; limit: string; tool: string };
}
async function refused(p: Promise<unknown>): Promise<Refusal> {
  const err = (await p.then(
    () => assert.fail('expected a rate-limit refusal'),
    (e: unknown) => e,
  )) as Refusal;
  assert.equal(err.code, 429, String(err.message));
  assert.equal(err.data.code, 'VMCP_RATE_LIMITED');
  assert.ok(err.data.retryAfterSeconds >= 1);
  assert.match(err.message, /Rate limit exceeded .*retry after \d+s/);
  return err;
}

describe('rate limits', () => {
  it('shared bucket: both eras refused with 429 and retryAfterSeconds; lists are free; health untouched', async () => {
    await using gw = await startGateway({
      name: 'rl-shared',
      operational: { failureHandling: { circuitBreaker: { enabled: true, failureThreshold: 1 } } },
      rateLimiting: { shared: { maxTokens: 2, refillPeriod: '1h' } },
      backends,
    });
    await using legacy = await connectClient(gw.url);
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    await echo(legacy);
    await echo(modern);
    const a = await refused(echo(legacy));
    assert.equal(a.data.limit, 'rateLimiting.shared');
    assert.equal(a.data.retryAfterSeconds, 1800, 'one token back after refillPeriod / maxTokens');
    const b = await refused(echo(modern));
    assert.equal(b.data.retryAfterSeconds, 1800);
    for (let i = 0; i < 5; i++) assert.ok(((await legacy.listTools()).tools as unknown[]).length > 0);
    const h = gw.monitor.get('everything');
    assert.equal(h?.circuit, 'closed');
    assert.equal(h?.state, 'healthy');
  });

  it('perUser bucket: one per principal', async () => {
    await using gw = await startGateway({
      name: 'rl-user',
      incomingAuth: keys,
      rateLimiting: { perUser: { maxTokens: 2, refillPeriod: '1h' } },
      backends,
    });
    await using alice = await connectClient(gw.url, { headers: { 'x-api-key': ALICE } });
    await using bob = await connectClient(gw.url, { era: '2026-07-28', headers: { 'x-api-key': BOB } });
    await echo(alice);
    await echo(alice);
    assert.equal((await refused(echo(alice))).data.limit, 'rateLimiting.perUser');
    await echo(bob);
    await echo(bob);
    await refused(echo(bob));
  });

  it('per-tool bucket on top of the shared one, all or nothing', async () => {
    await using gw = await startGateway({
      name: 'rl-tool',
      incomingAuth: keys,
      rateLimiting: {
        shared: { maxTokens: 4, refillPeriod: '1h' },
        tools: [{ name: 'everything_echo', shared: { maxTokens: 1, refillPeriod: '1h' }, perUser: { maxTokens: 1, refillPeriod: '1h' } }],
      },
      backends,
    });
    await using alice = await connectClient(gw.url, { headers: { 'x-api-key': ALICE } });
    await echo(alice);
    const r = await refused(echo(alice));
    assert.match(r.data.limit, /^rateLimiting\.tools\[0\]\.(shared|perUser)$/);
    assert.equal(r.data.tool, 'everything_echo');
    // The refused echo took nothing from the shared bucket: three more calls of another tool pass.
    await add(alice);
    await add(alice);
    await add(alice);
    assert.equal((await refused(add(alice))).data.limit, 'rateLimiting.shared');
  });

  it('refills over refillPeriod', async () => {
    await using gw = await startGateway({ name: 'rl-refill', rateLimiting: { shared: { maxTokens: 1, refillPeriod: '300ms' } }, backends });
    await using client = await connectClient(gw.url);
    await echo(client);
    await refused(echo(client));
    const back = await waitFor(
      () =>
        echo(client).then(
          () => true,
          () => false,
        ),
      'a token to come back',
    );
    assert.equal(back, true);
  });
});
