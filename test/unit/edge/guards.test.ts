import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createRebindingGuard } from '../../../src/edge/guards.js';

const req = (host: string | undefined, origin?: string) =>
  ({ headers: { host, ...(origin ? { origin } : {}) } }) as unknown as IncomingMessage;

describe('DNS-rebinding guard on loopback', () => {
  const guard = createRebindingGuard('127.0.0.1', [], []);

  it('accepts a loopback Host every time it is sent, and still checks the Origin', () => {
    for (let i = 0; i < 3; i++) assert.equal(guard(req('127.0.0.1:4483')), undefined);
    assert.match(String(guard(req('127.0.0.1:4483', 'http://evil.example'))?.message), /Forbidden: Invalid Origin/);
  });

  it('refuses a foreign Host however many accepted ones came before, and however many foreign ones follow', () => {
    assert.equal(guard(req('localhost:4483')), undefined);
    for (let i = 0; i < 100; i++) assert.match(String(guard(req(`evil${i}.example:4483`))?.message), /Forbidden: Invalid Host/);
    assert.match(String(guard(req(undefined))?.message), /Missing Host header/);
    assert.equal(guard(req('localhost:4483')), undefined);
  });
});
