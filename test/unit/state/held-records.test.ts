// When a replica may answer for a session record without asking Redis (HeldRecords), on explicit
// times: each rule that withdraws the vouching, one at a time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeldRecords } from '../../../src/state/held-records.js';

const TTL = 60_000;
const LISTENING = 1_000; // the bus subscribed at t = 1 s

function heldAt(sentAt: number, initialized = true): { records: HeldRecords; id: string } {
  const records = new HeldRecords(TTL);
  records.remember('s', '{}', initialized, sentAt, records.generation);
  return { records, id: 's' };
}

describe('HeldRecords', () => {
  it('vouches for a confirmed record for half a TTL, and no longer', () => {
    const { records, id } = heldAt(5_000);
    const held = records.get(id)!;
    assert.equal(records.vouched(held, 5_000 + TTL / 2 - 1, LISTENING), true);
    assert.equal(records.vouched(held, 5_000 + TTL / 2, LISTENING), false);
  });

  it('never for a session that has not finished its handshake', () => {
    const { records, id } = heldAt(5_000, false);
    assert.equal(records.vouched(records.get(id)!, 5_001, LISTENING), false);
  });

  it('not once a change is announced, until a read confirms the record again', () => {
    const { records, id } = heldAt(5_000);
    records.invalidate(id);
    assert.equal(records.vouched(records.get(id)!, 5_001, LISTENING), false);
    records.remember(id, '{"v":2}', true, 6_000, records.generation);
    assert.equal(records.vouched(records.get(id)!, 6_001, LISTENING), true);
    assert.equal(records.get(id)!.text, '{"v":2}');
  });

  it('a read that overlapped an announcement is not a confirmation (it may have returned what the change replaced)', () => {
    const { records, id } = heldAt(5_000);
    const before = records.generation;
    records.invalidate('another-session');
    records.remember(id, '{}', true, 6_000, before);
    assert.equal(records.vouched(records.get(id)!, 6_001, LISTENING), false);
  });

  it('a read that overlapped a change made here is not a confirmation either', () => {
    const { records, id } = heldAt(5_000);
    const slideSent = records.generation;
    records.invalidate(id); // update() here, before its write
    records.remember(id, '{"v":2}', true, 6_000, records.generation);
    records.remember(id, '{"v":1}', true, 5_500, slideSent); // the slide's answer, arriving last
    assert.equal(records.vouched(records.get(id)!, 6_001, LISTENING), false, 'read from Redis again');
  });

  it('a read on its way when the record was forgotten (deleted here) does not bring it back as confirmed', () => {
    const { records, id } = heldAt(5_000);
    const slideSent = records.generation;
    records.forget(id);
    records.remember(id, '{}', true, 5_500, slideSent);
    assert.equal(records.vouched(records.get(id)!, 5_501, LISTENING), false);
  });

  it('not while the bus is not heard, nor for what was confirmed before it was last subscribed', () => {
    const { records, id } = heldAt(5_000);
    const held = records.get(id)!;
    assert.equal(records.vouched(held, 5_001, undefined), false);
    assert.equal(records.vouched(held, 7_001, 7_000), false);
  });
});
