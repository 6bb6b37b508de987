import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyLength, jsonBody } from '../../../src/edge/list-body.js';

const tools = Object.freeze(Array.from({ length: 100 }, (_, i) => Object.freeze({ name: `t${i}`, description: 'ünïcode ✓ "quoted"\n' })));
const text = (body: ReturnType<typeof jsonBody>) => (typeof body === 'string' ? body : Buffer.concat(body).toString('utf8'));

describe('response bodies with whole lists', () => {
  it('writes exactly what JSON.stringify would, with the length in bytes', () => {
    const response = { jsonrpc: '2.0', id: 'req-"7"', result: { tools } };
    const body = jsonBody(response);
    assert.ok(Array.isArray(body), 'a frozen list of 100 is written from kept bytes');
    assert.equal(text(body), JSON.stringify(response));
    assert.equal(bodyLength(body), Buffer.byteLength(JSON.stringify(response)));
  });

  it('serializes a frozen list once, whichever response carries it', () => {
    const a = jsonBody({ jsonrpc: '2.0', id: 1, result: { tools } });
    const b = jsonBody({ jsonrpc: '2.0', id: 2, result: { tools } });
    assert.ok(Array.isArray(a) && Array.isArray(b));
    assert.equal(a[1], b[1], 'the same bytes, not a second serialization');
    assert.equal(text(b), JSON.stringify({ jsonrpc: '2.0', id: 2, result: { tools } }));
  });

  it('stringifies anything else as usual: lists that may change, short lists, results with more keys', () => {
    const open = Array.from({ length: 100 }, (_, i) => ({ name: `t${i}` }));
    for (const response of [
      { jsonrpc: '2.0', id: 1, result: { tools: open } },
      { jsonrpc: '2.0', id: 1, result: { tools: Object.freeze(open.slice(0, 3)) } },
      { jsonrpc: '2.0', id: 1, result: { tools, nextCursor: 'abc' } },
      { jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad' } },
    ]) {
      assert.equal(jsonBody(response), JSON.stringify(response));
    }
  });
});
