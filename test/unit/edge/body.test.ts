import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { DepthGauge, readBody } from '../../../src/edge/body.js';
import { envelopeProblem } from '../../../src/edge/envelope.js';
import { isVmcpError } from '../../../src/errors/codes.js';

const req = (text: string, headers: Record<string, string> = {}) =>
  Object.assign(Readable.from([Buffer.from(text)]), { headers }) as unknown as IncomingMessage;
const limits = { maxBytes: 100, maxDepth: 8 };

describe('request envelope checks', () => {
  it('accepts requests, notifications, responses and batches', () => {
    assert.equal(envelopeProblem({ jsonrpc: '2.0', id: 1, method: 'ping' }), undefined);
    assert.equal(envelopeProblem({ jsonrpc: '2.0', method: 'notifications/initialized' }), undefined);
    assert.equal(envelopeProblem({ jsonrpc: '2.0', id: 'x', result: {} }), undefined);
    assert.equal(envelopeProblem({ jsonrpc: '2.0', id: 'x', error: { code: -1, message: 'no' } }), undefined);
    assert.equal(envelopeProblem([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), undefined);
  });

  it('says what is wrong with a well-formed but invalid envelope', () => {
    assert.match(envelopeProblem({ id: 1, method: 'x' })!, /jsonrpc/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', id: {}, method: 'x' })!, /"id"/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', id: 1.5, method: 'x' })!, /integer/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: 3 })!, /params/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: [1] })!, /"params" must be an object/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: { _meta: 'x' } })!, /_meta/);
    assert.match(envelopeProblem({ jsonrpc: '2.0', result: {} })!, /needs an "id"/);
    assert.match(envelopeProblem([{ jsonrpc: '2.0', id: 1, method: 'x' }, 5])!, /batch\[1\]/);
    assert.match(envelopeProblem([])!, /empty batch/);
    assert.match(envelopeProblem('text')!, /object/);
  });
});

describe('request body reading', () => {
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (isVmcpError(e) ? e.code : String(e)),
    );

  it('enforces the size limit from the header and from the bytes actually sent', async () => {
    assert.equal(await code(readBody(req('{}', { 'content-length': '5000' }), limits)), 'VMCP_REQUEST_TOO_LARGE');
    assert.equal(await code(readBody(req(JSON.stringify({ pad: 'x'.repeat(200) })), limits)), 'VMCP_REQUEST_TOO_LARGE');
  });

  it('refuses a body nested deeper than the limit before parsing it, naming the limit', async () => {
    const deep = '['.repeat(9) + ']'.repeat(9);
    await assert.rejects(
      readBody(req(deep), limits),
      (e: Error) => isVmcpError(e, 'VMCP_INVALID_REQUEST') && /server\.limits\.maxJsonDepth/.test(e.message),
    );
    const ok = '{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":[[[{"b":"[[[[[[[[[[[[["}]]]}}';
    assert.equal(await code(readBody(req(ok), limits)), 'ok', 'brackets inside strings do not count');
  });

  it('separates parse errors from envelope errors', async () => {
    assert.equal(await code(readBody(req('{oops'), limits)), 'VMCP_PARSE_ERROR');
    assert.equal(await code(readBody(req('{"jsonrpc":"2.0","id":1.5,"method":"x"}'), limits)), 'VMCP_INVALID_REQUEST');
  });

  it('tracks depth across chunk boundaries', () => {
    const gauge = new DepthGauge(3);
    assert.equal(gauge.push(Buffer.from('[[')), true);
    assert.equal(gauge.push(Buffer.from('["\\"[[[[', 'utf8')), true, 'an escaped quote keeps the string open');
    assert.equal(gauge.push(Buffer.from('"]]]')), true);
    assert.equal(gauge.push(Buffer.from('[[[[')), false);
  });
});
