// The bench's zero-logic hop (target P): a real MCP client gets through it to echo.mjs, a session
// and all, and it stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { connectClient, FIXTURES, spawnFixture, text } from '../helpers/gateway.js';

const FLOOR_PROXY = new URL('../../bench/fixtures/floor-proxy.mjs', import.meta.url).pathname;

test('the floor proxy carries a whole MCP session to its upstream and exits 0 on SIGTERM', async () => {
  await using echo = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http']);
  const proxy = await spawnFixture(FLOOR_PROXY, ['--upstream', echo.url]);
  try {
    assert.notEqual(new URL(proxy.url).port, new URL(echo.url).port);
    await using client = await connectClient(proxy.url);
    assert.equal(client.getServerVersion()?.name, 'echo');
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'echo'));
    const result = await client.callTool({ name: 'echo', arguments: { message: 'through the floor' } });
    assert.match(text(result), /through the floor/);
  } finally {
    const exited = once(proxy.proc, 'exit');
    proxy.proc.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  }
});
