// A gateway that uses no Redis never loads ioredis (~8 MB of heap): the whole gateway module graph
// loads without it, and the first connection brings it in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/ioredis/'));

test('ioredis is loaded on the first Redis connection, not with the gateway', async () => {
  await import('../../../src/app/gateway.js');
  const { connectRedis } = await import('../../../src/state/redis-connection.js');
  assert.equal(loaded(), false, 'importing the gateway loads no ioredis');
  const redis = connectRedis({ host: '127.0.0.1', port: 1, db: 0 }, 'lazy-probe');
  try {
    assert.equal(loaded(), true);
    assert.equal(typeof redis.get, 'function');
  } finally {
    redis.disconnect();
  }
});
