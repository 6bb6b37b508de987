import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { jsonRpcProblem, readBody } from '../../../src/edge/body.js';

const req = (text: string, headers: Record<string, string> = {}) => Object.assign(Readable.from([Buffer.from(text)]), { headers });

describe('request body checks', () => {
  it('accepts requests, notifications, responses and batches', () => {
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'ping' }), undefined);
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', method: 'notifications/initialized' }), undefined);
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 'x', result: {} }), undefined);
    assert.equal(jsonRpcProblem([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), undefined);
  });

  it('says what is wrong with a malformed message', () => {
    assert.match(jsonRpcProblem({ id: 1, method: 'x' })!, /jsonrpc/);
    assert.match(jsonRpcProblem({ jsonrpc: '2.0', id: {}, method: 'x' })!, /"id"/);
    assert.match(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: 3 })!, /params/);
    assert.match(jsonRpcProblem({ jsonrpc: '2.0', result: {} })!, /needs an "id"/);
    assert.match(jsonRpcProblem([{ jsonrpc: '2.0', id: 1, method: 'x' }, 5])!, /batch\[1\]/);
    assert.match(jsonRpcProblem('text')!, /object/);
  });

  it('enforces the size limit from the header and from the bytes actually sent', async () => {
    assert.deepEqual(await readBody(req('{}', { 'content-length': '5000' }), 100), {
      ok: false,
      status: 413,
      code: -32600,
      message: 'Request body exceeds the 100-byte limit (server.maxRequestBodyBytes)',
    });
    const big = await readBody(req(JSON.stringify({ pad: 'x'.repeat(200) })), 100);
    assert.equal(big.ok ? 0 : big.status, 413);
    const bad = await readBody(req('{oops'), 100);
    assert.equal(bad.ok ? 0 : bad.code, -32700);
  });
});
