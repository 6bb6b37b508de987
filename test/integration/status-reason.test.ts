// /status says why a backend is not connected (the reason the start-up table shows), sanitized.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, startGateway, stdioBackend } from '../helpers/gateway.js';

test('/status names the reason a backend is down (a command that does not exist: ENOENT)', async () => {
  await using gw = await startGateway({
    name: 'reason',
    backends: [stdioBackend('echo', `${FIXTURES}/echo.mjs`), { name: 'missing', transport: 'stdio', command: '/nonexistent/mcp-server' }],
  });
  const status = (await (await fetch(gw.url.replace(/mcp$/, 'status'))).json()) as { backends: { name: string; reason?: string }[] };
  const missing = status.backends.find((b) => b.name === 'missing');
  assert.match(missing?.reason ?? '', /ENOENT/);
  assert.equal(status.backends.find((b) => b.name === 'echo')?.reason, undefined, 'a connected backend has no reason');
});
