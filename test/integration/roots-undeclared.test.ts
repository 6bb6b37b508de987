// A backend's roots/list reaching a 2026-07-28 request that did not declare roots: only that ask is
// refused (as for a 2025-era client without roots) and the client's call goes on. Backends ask for
// roots on their own (server-everything does it 350 ms after initialize), and on a shared
// connection such an ask lands in whichever call is in flight; it must not fail that call. An ask
// for input the call itself needs (elicitation, sampling) still ends the request with -32021.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, EVERYTHING, FIXTURES, startGateway, stdioBackend, text } from '../helpers/gateway.js';

describe('roots/list toward a 2026-07-28 request without the roots capability', () => {
  it("refuses only the backend's ask; the backend's own answer reaches the client", async () => {
    await using gw = await startGateway({
      name: 'roots-undeclared',
      backends: [stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio'])],
    });
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    // The backend's listRoots failed with the gateway's refusal; the backend decides what that means
    // for its tool (this one passes the error on). Never the request-level -32021.
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'conf_test_input_required_result_list_roots', arguments: {} } }),
      (err: Error & { code?: number }) => {
        assert.equal(err.code, -32601, err.message);
        assert.match(err.message, /the client did not declare the "roots" capability, so roots\/list cannot be relayed to it/);
        return true;
      },
    );
    const echo = await client.callTool({ name: 'conf_test_simple_text', arguments: {} });
    assert.ok(text(echo as never).length > 0, 'the next call is served');
    // Elicitation is what that tool needs: the request itself fails, as the revision requires.
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'conf_test_input_required_result_elicitation', arguments: {} } }),
      /Missing required client capability: the request did not declare "elicitation"/,
    );
  });

  it("server-everything's start-up roots sync does not fail the first calls", async () => {
    await using gw = await startGateway({ name: 'roots-startup', backends: [stdioBackend('everything', EVERYTHING, ['stdio'])] });
    await using client = await connectClient(gw.url, { era: '2026-07-28' });
    // A call running through the 350 ms after the backend's initialize, when it asks for roots.
    const slow = await client.callTool({ name: 'everything_trigger-long-running-operation', arguments: { duration: 1, steps: 2 } });
    assert.notEqual((slow as { isError?: boolean }).isError, true, JSON.stringify(slow));
    for (let i = 0; i < 5; i++) {
      const r = await client.callTool({ name: 'everything_echo', arguments: { message: `hi ${i}` } });
      assert.match(text(r as never), new RegExp(`hi ${i}`));
    }
  });
});
