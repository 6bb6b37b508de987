// Malformed envelopes and parameters get the precise JSON-RPC error on both eras (-32600 for a
// bad envelope, not -32700; -32602 with a one-line message for bad built-in params); the status
// pages refuse a foreign Host on a loopback bind (DNS rebinding); and an HTTP backend's 5xx error
// page is summarised (status and a short, sanitized reason), never copied to the client or the log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, spawnFixture, type Fixture } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, stdio } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { callTool, show } from './lib/outcome.js';
import { answer, legacyHeaders, MODERN_META, modernHeaders, openSession, raw, seen } from './lib/raw.js';

/** Bodies whose envelope is wrong (valid JSON, so never -32700). */
const ENVELOPES: [string, (meta: string) => string][] = [
  ['params is an array', () => '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]}'],
  ['id is a fraction', (meta) => `{"jsonrpc":"2.0","id":1.5,"method":"tools/list","params":{${meta}}}`],
  ['_meta is a string', () => '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":"x"}}'],
  ['id is an object', (meta) => `{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list","params":{${meta}}}`],
  ['method is a number', (meta) => `{"jsonrpc":"2.0","id":1,"method":42,"params":{${meta}}}`],
];

describe('envelope and parameter errors, Host checks, backend 5xx', () => {
  let http: Fixture;
  let gw: CliGateway;
  let sid: string;
  before(async () => {
    http = await spawnFixture(`${FIXTURES}/hostile-http.mjs`);
    gw = await startCli({
      name: 'abuse-envelope',
      backends: [stdio('target', 'echo.mjs'), { name: 'web', transport: 'streamable-http', url: http.url }, CANARY_BACKEND],
    });
    sid = await openSession(gw.url);
  });
  after(async () => {
    await gw?.stop();
    await http?.close();
  });

  it('answers envelope errors with 400 / -32600 VMCP_INVALID_REQUEST on both eras, blaming no backend', async () => {
    const before = await healthySnapshot(gw, ['target', 'web', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const modernMeta = `"_meta":${JSON.stringify(MODERN_META)}`;
    for (const [what, body] of ENVELOPES) {
      for (const [era, text, headers] of [
        ['2025-era session', body(''), legacyHeaders(sid)],
        ['2026-07-28', body(modernMeta), modernHeaders('tools/list')],
      ] as const) {
        const res = await gw.guard(raw(gw.url, { headers, body: text }));
        const err = answer(res)?.error;
        assert.ok(
          res.status === 400 && err?.code === -32600 && err.data?.code === 'VMCP_INVALID_REQUEST',
          `${era}, ${what}: expected HTTP 400 with -32600 VMCP_INVALID_REQUEST, saw ${seen(res)}`,
        );
      }
    }
    assertCanary(await canary.stop(), 'malformed envelopes');
    await assertUntouched(gw, before, 'malformed client requests');
  });

  it('answers logging/setLevel {level:"nope"} with -32602 and a one-line message', async () => {
    const res = await gw.guard(
      raw(gw.url, { headers: legacyHeaders(sid), body: '{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"nope"}}' }),
    );
    const err = answer(res, 3)?.error;
    assert.equal(err?.code, -32602, `expected -32602, saw ${seen(res)}`);
    assert.ok(!/\n/.test(err.message) && err.message.length <= 200, `a one-line message (≤ 200 chars), saw ${JSON.stringify(err.message)}`);
    assert.match(err.message, /level/, 'it names the parameter');
  });

  for (const path of ['/status', '/readyz']) {
    it(`refuses ${path} with a foreign Host header on a loopback bind (403)`, async () => {
      const foreign = await raw(`${gw.base}${path}`, { method: 'GET', headers: { host: 'evil.example' } });
      assert.equal(foreign.status, 403, `${path} with Host: evil.example: ${seen(foreign)}`);
      const rebinding = await raw(`${gw.base}${path}`, { method: 'GET', headers: { host: `attacker.test:${new URL(gw.base).port}` } });
      assert.equal(rebinding.status, 403, `${path} with Host: attacker.test:<port>: ${seen(rebinding)}`);
      const own = await raw(`${gw.base}${path}`, { method: 'GET' });
      assert.equal(own.status, 200, `${path} with the gateway's own Host: ${seen(own)}`);
    });
  }

  it("summarises an HTTP backend's 5xx body: status and a short reason, never the page or its secrets", async () => {
    await using client = await connectClient(gw.url);
    const failed = await callTool(gw, client, 'web_fail500');
    const whole = JSON.stringify(failed);
    assert.equal(failed.ok, false, show(failed));
    assert.match(failed.message ?? '', /500/, `the message carries the HTTP status: ${show(failed)}`);
    for (const leak of ['FAIL500_BODY_MARKER', 'sk-live', 'hunter2', '<html', 'Traceback']) {
      assert.ok(!whole.includes(leak), `the client's error must not copy the backend's 5xx body (found "${leak}"): ${whole.slice(0, 400)}`);
      assert.deepEqual(
        gw.logs.matching(new RegExp(leak)).map((l) => l.raw.slice(0, 200)),
        [],
        `the gateway log must not copy the 5xx body (found "${leak}")`,
      );
    }
    assert.ok((failed.message ?? '').length <= 300, `a short summary (≤ 300 chars), saw ${failed.message?.length}: ${show(failed)}`);
  });
});
