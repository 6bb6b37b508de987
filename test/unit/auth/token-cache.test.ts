import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache } from '../../../src/auth/outgoing/token-cache.js';

describe('TokenCache', () => {
  it('does one fetch for a burst of concurrent callers (single-flight) and reuses the token', async () => {
    let fetches = 0;
    const cache = new TokenCache();
    const fetchToken = async () => {
      fetches += 1;
      await new Promise((r) => setTimeout(r, 20));
      return { accessToken: `t${fetches}`, expiresAt: Date.now() + 3_600_000 };
    };
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', fetchToken)));
    assert.equal(fetches, 1);
    assert.ok(tokens.every((t) => t === 't1'));
    assert.equal(await cache.get('k', fetchToken), 't1');
    assert.equal(fetches, 1);
  });

  it('refreshes shortly before expiry (skew) and after invalidate', async () => {
    let now = 0;
    let n = 0;
    const cache = new TokenCache({ skewMs: 60_000, clock: { now: () => now } });
    const fetchToken = async () => ({ accessToken: `t${++n}`, expiresAt: now + 600_000 });
    assert.equal(await cache.get('k', fetchToken), 't1');
    now = 539_000;
    assert.equal(await cache.get('k', fetchToken), 't1', 'still fresh');
    now = 541_000;
    assert.equal(await cache.get('k', fetchToken), 't2', 'within 60s of expiry: refreshed');
    cache.invalidate('k');
    assert.equal(await cache.get('k', fetchToken), 't3');
  });

  it('a failed fetch is not cached', async () => {
    const cache = new TokenCache();
    await assert.rejects(
      cache.get('k', async () => {
        throw new Error('idp down');
      }),
      /idp down/,
    );
    assert.equal(await cache.get('k', async () => ({ accessToken: 'ok' })), 'ok');
  });
});
