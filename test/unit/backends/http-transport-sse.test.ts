// The event-stream parser under the HTTP transport: line endings split anywhere, comments,
// multi-line data, and the per-event bound (an oversized event is skipped, the next one parsed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../../src/backends/sse-parser.js';

function parse(chunks: (string | Buffer)[], limit = 1 << 20) {
  const events: SseEvent[] = [];
  let oversize = 0;
  const retries: number[] = [];
  const p = new SseParser(limit, { onEvent: (e) => events.push(e), onOversize: () => oversize++, onRetry: (ms) => retries.push(ms) });
  for (const c of chunks) p.push(typeof c === 'string' ? Buffer.from(c) : c);
  return { events, oversize, retries };
}

describe('SseParser', () => {
  it('parses events with LF, CRLF and CR line endings, split at any byte', () => {
    const stream = 'event: message\r\ndata: {"a":1}\r\n\r\ndata: x\rdata: y\r\rid: 7\ndata: z\n\n';
    const whole = parse([stream]).events;
    assert.deepEqual(
      whole.map((e) => [e.event, e.data, e.id]),
      [
        ['message', '{"a":1}', undefined],
        ['', 'x\ny', undefined],
        ['', 'z', '7'],
      ],
    );
    for (let cut = 1; cut < stream.length; cut++) {
      assert.deepEqual(parse([stream.slice(0, cut), stream.slice(cut)]).events, whole, `split at ${cut}`);
    }
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('data: héllo ✓\n\n');
    const events = parse([bytes.subarray(0, 9), bytes.subarray(9, 15), bytes.subarray(15)]).events;
    assert.equal(events[0]?.data, 'héllo ✓');
  });

  it('ignores comments and events without data, and reports retry', () => {
    const r = parse([': keep-alive\n\nevent: ping\n\nretry: 1500\ndata: ok\n\n']);
    assert.deepEqual(
      r.events.map((e) => e.data),
      ['ok'],
    );
    assert.deepEqual(r.retries, [1500]);
  });

  it('skips an event larger than the bound without buffering it, then goes on', () => {
    const big = `data: ${'x'.repeat(5000)}\n\n`;
    const chunks = [...big.match(/[\s\S]{1,700}/g)!, 'data: next\n\n'];
    const r = parse(chunks, 1024);
    assert.equal(r.oversize, 1);
    assert.deepEqual(
      r.events.map((e) => e.data),
      ['next'],
    );
  });
});
