// Protocol abuse from both sides, each with a definite, immediate error instead of a hang:
//  - a client reuses a request id that is still in flight on its session → -32600
//    VMCP_DUPLICATE_REQUEST_ID, and the first request still gets its own answer;
//  - a backend answers one call with an invalid JSON-RPC response → that call fails at once with
//    -32603 VMCP_BACKEND_PROTOCOL_ERROR (not after the request timeout), and the next call works;
//  - SIGTERM while a call runs longer than server.shutdownGracePeriod → the client gets -32603
//    VMCP_SHUTTING_DOWN on that call's stream (not an empty stream), and the gateway exits 0.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { callTool, show } from './lib/outcome.js';
import { answer, legacyHeaders, legacyToolCall, openSession, raw, seen } from './lib/raw.js';

const BAD_TIMEOUT_S = 8;

describe('protocol abuse', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli({
      name: 'abuse-protocol',
      backends: [
        stdio('slow', 'slow.mjs'),
        stdio('bad', 'bad-response.mjs', [], { timeouts: { request: `${BAD_TIMEOUT_S}s` } }),
        CANARY_BACKEND,
      ],
    });
  });
  after(() => gw?.stop());

  it('refuses a duplicate in-flight request id on one session with VMCP_DUPLICATE_REQUEST_ID; the first call is unharmed', async () => {
    const before = await healthySnapshot(gw, ['slow', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const sid = await openSession(gw.url);
    const first = gw.guard(raw(gw.url, { headers: legacyHeaders(sid), body: legacyToolCall(7, 'slow_sleep', '{"ms":1500}') }));
    await new Promise((r) => setTimeout(r, 300));
    const dup = await gw.guard(raw(gw.url, { headers: legacyHeaders(sid), body: legacyToolCall(7, 'slow_sleep', '{"ms":10}') }));
    const err = answer(dup, 7)?.error ?? answer(dup)?.error;
    assert.ok(
      err?.code === -32600 && err.data?.code === 'VMCP_DUPLICATE_REQUEST_ID',
      `a second tools/call with id 7 while id 7 is in flight: expected error -32600 VMCP_DUPLICATE_REQUEST_ID, saw ${seen(dup)}`,
    );
    assert.ok(dup.status < 500, `not a server error: ${seen(dup)}`);
    const firstRes = await first;
    assert.deepEqual(
      answer(firstRes, 7)?.result?.['content'],
      [{ type: 'text', text: 'slept 1500ms' }],
      `the first call with id 7 gets its own answer: ${seen(firstRes)}`,
    );
    const again = await gw.guard(raw(gw.url, { headers: legacyHeaders(sid), body: legacyToolCall(7, 'slow_sleep', '{"ms":10}') }));
    assert.deepEqual(answer(again, 7)?.result?.['content'], [{ type: 'text', text: 'slept 10ms' }], `id 7 is free again: ${seen(again)}`);
    assertCanary(await canary.stop(), 'duplicate request ids');
    await assertUntouched(gw, before, "a client's duplicate request id");
  });

  for (const [i, kind] of ['result-not-object', 'no-result', 'wrong-version', 'error-not-object'].entries()) {
    it(`fails a call answered with an invalid response (${kind}) at once with VMCP_BACKEND_PROTOCOL_ERROR`, async () => {
      // Only at first: these failures are the backend's own, so its health may well change.
      if (i === 0) await healthySnapshot(gw, ['bad']);
      await using client = await connectClient(gw.url);
      const bad = await callTool(gw, client, 'bad_garbage', { kind }, (BAD_TIMEOUT_S + 5) * 1000);
      assert.equal(
        bad.dataCode,
        'VMCP_BACKEND_PROTOCOL_ERROR',
        `expected error -32603 VMCP_BACKEND_PROTOCOL_ERROR at once (the backend's request timeout is ${BAD_TIMEOUT_S}s), saw ${show(bad)}`,
      );
      assert.equal(bad.code, -32603, show(bad));
      assert.match(bad.message ?? '', /bad/, `the message names the backend: ${show(bad)}`);
      const ok = await callTool(gw, client, 'bad_ok');
      assert.equal(ok.text, 'ok', `the next call on the same backend works: ${show(ok)}`);
    });
  }
});

describe('shutdown past server.shutdownGracePeriod', () => {
  it('answers a call still running after the grace period with VMCP_SHUTTING_DOWN, then exits 0', async () => {
    await using gw = await startCli({
      name: 'abuse-shutdown',
      server: { shutdownGracePeriod: '1s' },
      backends: [stdio('slow', 'slow.mjs')],
    });
    await healthySnapshot(gw, ['slow']);
    const sid = await openSession(gw.url);
    const call = raw(gw.url, {
      headers: legacyHeaders(sid),
      body: legacyToolCall(5, 'slow_sleep', '{"ms":8000}'),
      timeoutMs: 20_000,
    }).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 500));
    gw.child.kill('SIGTERM');
    const res = await call;
    const exit = await gw.stop('SIGTERM', 15_000);
    assert.ok(!(res instanceof Error), `the call's stream must end with an answer, not a transport error: ${String(res)}`);
    const err = answer(res, 5)?.error;
    assert.ok(
      err?.code === -32603 && err.data?.code === 'VMCP_SHUTTING_DOWN',
      `a call still running after the 1 s grace: expected error -32603 VMCP_SHUTTING_DOWN, saw ${seen(res)}${res.messages.length ? '' : ' (no message at all)'}`,
    );
    assert.deepEqual(exit, { code: 0, signal: null }, 'the gateway exits 0 after the grace period');
  });
});
