// The shared-connection scheduler: quiet tools never wait; an exclusive call waits behind another
// session's, bounded; two waiters woken together never both enter; traffic is attributed only when
// unambiguous, and to a call of that session that is not parked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallScheduler } from '../../../src/backends/call-scheduler.js';
import type { CallSink } from '../../../src/protocol/index.js';

const sink = (sessionId: string): CallSink => ({ sessionId, request: async () => ({}), notify: async () => undefined });
const signal = () => new AbortController().signal;
const limits = { exclusiveWaitMs: 2000, notificationsPerSecond: 100 };

describe('CallScheduler', () => {
  it('lets a quiet tool run at once beside another session’s exclusive call', async () => {
    const s = new CallScheduler(limits);
    const learn = await s.enter(sink('a'), 'tools/call:echo', signal());
    s.leave(learn); // finished without traffic: echo is quiet from now on
    const held = await s.enter(sink('b'), 'tools/call:elicit', signal());
    const started = Date.now();
    const quiet = await s.enter(sink('a'), 'tools/call:echo', signal());
    assert.ok(Date.now() - started < 50, 'no wait');
    s.leave(quiet);
    s.leave(held);
  });

  it('makes an exclusive call of another session wait, and wakes it when the holder leaves', async () => {
    const s = new CallScheduler(limits);
    const held = await s.enter(sink('a'), 'tools/call:x', signal());
    let entered = false;
    const waiting = s.enter(sink('b'), 'tools/call:y', signal()).then((c) => ((entered = true), c));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(entered, false);
    s.leave(held);
    s.leave(await waiting);
    assert.equal(entered, true);
  });

  it('bounds the wait: after exclusiveWait the call runs anyway', async () => {
    const s = new CallScheduler({ ...limits, exclusiveWaitMs: 80 });
    const held = await s.enter(sink('a'), 'tools/call:hung', signal());
    const started = Date.now();
    const late = await s.enter(sink('b'), 'tools/call:other', signal());
    const waited = Date.now() - started;
    assert.ok(waited >= 70 && waited < 1000, `waited ${waited} ms`);
    assert.deepEqual(s.owner(), { ambiguous: ['a', 'b'] }, 'two sessions in flight: traffic is never guessed');
    s.leave(late);
    s.leave(held);
  });

  it('never lets two waiters of different sessions enter side by side when woken together', async () => {
    const s = new CallScheduler(limits);
    const held = await s.enter(sink('a'), 'tools/call:x', signal());
    const entered: string[] = [];
    const b = s.enter(sink('b'), 'tools/call:x', signal()).then((c) => (entered.push('b'), c));
    const c = s.enter(sink('c'), 'tools/call:x', signal()).then((c2) => (entered.push('c'), c2));
    await new Promise((r) => setTimeout(r, 10));
    s.leave(held);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(entered.length, 1, `only one of b and c is in: ${entered.join()}`);
    const first = entered[0] === 'b' ? await b : await c;
    s.leave(first);
    s.leave(await (entered[0] === 'b' ? c : b));
  });

  it('attributes traffic to the session in flight, preferring its call that is not parked', async () => {
    const s = new CallScheduler(limits);
    const parkedCall = await s.enter(sink('a'), 'tools/call:ask', signal());
    const resume = parkedCall.pause();
    const active = await s.enter(sink('a'), 'tools/call:log', signal());
    const o = s.owner();
    assert.ok('owner' in o && o.owner === active);
    resume();
    s.leave(active);
    s.leave(parkedCall);
    assert.deepEqual(s.owner(), { none: true });
  });

  it('stops waiting when the call is cancelled', async () => {
    const s = new CallScheduler(limits);
    const held = await s.enter(sink('a'), 'tools/call:x', signal());
    const controller = new AbortController();
    const waiting = s.enter(sink('b'), 'tools/call:y', controller.signal);
    controller.abort(new Error('client cancelled'));
    await assert.rejects(waiting, /client cancelled/);
    s.leave(held);
    assert.equal(s.size, 0);
  });
});
