// Deeply nested JSON (5,000 levels in a 10 KB body) in tools/call arguments, on both eras: the
// gateway refuses it at the edge with HTTP 400 and JSON-RPC -32600 naming server.limits.maxJsonDepth
// (no backend ever sees it, so none is blamed), and a body just under the limit still goes through.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL, IN_CI, stdio } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import {
  answer,
  deepJson,
  legacyHeaders,
  legacyToolCall,
  modernHeaders,
  modernToolCall,
  openSession,
  raw,
  seen,
  type RawResponse,
} from './lib/raw.js';

const DEPTH = 5000;
const REPEATS = IN_CI ? 100 : 300;

function assertDepthRefusal(res: RawResponse, id: number, what: string): void {
  const err = answer(res)?.error;
  const expected = `HTTP 400 with error -32600 VMCP_INVALID_REQUEST naming server.limits.maxJsonDepth`;
  assert.ok(
    res.status === 400 &&
      err?.code === -32600 &&
      err.data?.code === 'VMCP_INVALID_REQUEST' &&
      /server\.limits\.maxJsonDepth/.test(err.message),
    `${what}: expected ${expected}, saw ${seen(res)}`,
  );
  if (answer(res)?.id !== undefined && answer(res)?.id !== null) assert.equal(answer(res)?.id, id, `${what}: the error answers id ${id}`);
}

describe('deep nesting (server.limits.maxJsonDepth)', () => {
  let gw: CliGateway;
  let sid: string;
  before(async () => {
    gw = await startCli({ name: 'abuse-depth', backends: [stdio('target', 'echo.mjs'), CANARY_BACKEND] });
    sid = await openSession(gw.url);
  });
  after(() => gw?.stop());

  it(`refuses ${DEPTH}-level arguments on a 2025-era session and a 2026-07-28 request, ${REPEATS} times each`, async () => {
    const before = await healthySnapshot(gw, ['target', 'canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const args = deepJson(DEPTH);
    assert.ok(args.length <= 10_010, `the body is small (${args.length} bytes): depth, not size, is the attack`);
    for (let i = 1; i <= REPEATS; i++) {
      const legacy = await gw.guard(raw(gw.url, { headers: legacyHeaders(sid), body: legacyToolCall(i, 'target_echo', args) }));
      assertDepthRefusal(legacy, i, `2025-era session, call ${i}`);
      const modern = await gw.guard(
        raw(gw.url, { headers: modernHeaders('tools/call', 'target_echo'), body: modernToolCall(i, 'target_echo', args) }),
      );
      assertDepthRefusal(modern, i, `2026-07-28 request, call ${i}`);
    }
    assertCanary(await canary.stop(), 'deeply nested requests');
    await assertUntouched(gw, before, 'requests the gateway refused');
  });

  it('refuses deep nesting anywhere in the body: params, _meta, a batch, an initialize', async () => {
    const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
    const bodies: [string, Record<string, string>][] = [
      [`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":${deep}}}`, legacyHeaders(sid)],
      [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"target_echo","arguments":{},"_meta":{"x":${deep}}}}`,
        legacyHeaders(sid),
      ],
      [`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":${deep}}}`, {}],
      [`{"jsonrpc":"2.0","id":${deep},"method":"ping"}`, modernHeaders('ping')],
    ];
    for (const [body, headers] of bodies) {
      const res = await gw.guard(raw(gw.url, { headers, body }));
      assertDepthRefusal(res, 1, `body ${body.slice(0, 90)}…`);
    }
  });

  it('accepts arguments nested within the limit (default 64)', async () => {
    const ok = `{"message":"fine","pad":${'['.repeat(40)}${']'.repeat(40)}}`;
    const res = await gw.guard(raw(gw.url, { headers: legacyHeaders(sid), body: legacyToolCall(77, 'target_echo', ok) }));
    assert.equal(res.status, 200, seen(res));
    assert.deepEqual(answer(res, 77)?.result?.['content'], [{ type: 'text', text: 'fine' }], seen(res));
  });
});
