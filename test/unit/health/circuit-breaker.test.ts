import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CIRCUIT_DEFAULTS, CircuitBreaker, systemClock } from '../../../src/health/circuit-breaker.js';
import type { CircuitBreakerOptions } from '../../../src/health/circuit-breaker.js';
import type { CircuitState } from '../../../src/health/types.js';

class FakeClock {
  t = 1_000;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

function setup(over: CircuitBreakerOptions = {}) {
  const clock = new FakeClock();
  const changes: Array<[CircuitState, CircuitState, number]> = [];
  const cb = new CircuitBreaker(
    { enabled: true, failureThreshold: 3, openMs: 10_000, onChange: (from, to) => changes.push([from, to, clock.t]), ...over },
    clock,
  );
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) cb.recordFailure();
  };
  return { clock, cb, changes, fail };
}

describe('CircuitBreaker', () => {
  it('defaults: disabled, threshold 5, 60 s', () => {
    const cb = new CircuitBreaker();
    assert.deepEqual([cb.enabled, cb.failureThreshold, cb.openMs], [false, CIRCUIT_DEFAULTS.failureThreshold, CIRCUIT_DEFAULTS.openMs]);
    assert.deepEqual([CIRCUIT_DEFAULTS.failureThreshold, CIRCUIT_DEFAULTS.openMs], [5, 60_000]);
    assert.equal(typeof systemClock.now(), 'number');
  });

  it('starts closed and lets everything through', () => {
    const { cb } = setup();
    assert.equal(cb.state, 'closed');
    assert.equal(cb.changedAt, undefined);
    assert.equal(cb.retryAt, undefined);
    assert.deepEqual([cb.allow(), cb.allow()], [true, true]);
  });

  it('opens at the failure threshold, not before', () => {
    const { cb, changes, fail } = setup();
    fail(2);
    assert.equal(cb.state, 'closed');
    assert.equal(cb.failures, 2);
    fail(1);
    assert.equal(cb.state, 'open');
    assert.equal(cb.changedAt, 1_000);
    assert.equal(cb.retryAt, 11_000);
    assert.deepEqual(changes, [['closed', 'open', 1_000]]);
  });

  it('a success in between resets the count', () => {
    const { cb, fail } = setup();
    fail(2);
    cb.recordSuccess();
    fail(2);
    assert.equal(cb.state, 'closed');
    assert.equal(cb.failures, 2);
  });

  it('fails fast while open, until openMs has passed', () => {
    const { cb, clock, fail } = setup();
    fail(3);
    assert.equal(cb.allow(), false);
    clock.advance(9_999);
    assert.equal(cb.allow(), false);
    assert.equal(cb.state, 'open');
  });

  it('half-open lets exactly one trial through', () => {
    const { cb, clock, changes, fail } = setup();
    fail(3);
    clock.advance(10_000);
    assert.equal(cb.allow(), true);
    assert.equal(cb.state, 'half-open');
    assert.equal(cb.retryAt, undefined);
    assert.deepEqual([cb.allow(), cb.allow()], [false, false]);
    clock.advance(5_000);
    assert.equal(cb.allow(), false);
    assert.deepEqual(
      changes.map(([f, t]) => `${f}→${t}`),
      ['closed→open', 'open→half-open'],
    );
  });

  it('half-open + failure → open again with a new retryAt', () => {
    const { cb, clock, changes, fail } = setup();
    fail(3);
    clock.advance(10_000);
    cb.allow();
    clock.advance(500);
    cb.recordFailure();
    assert.equal(cb.state, 'open');
    assert.equal(cb.changedAt, 11_500);
    assert.equal(cb.retryAt, 21_500);
    assert.equal(cb.allow(), false);
    clock.advance(10_000);
    assert.equal(cb.allow(), true);
    assert.deepEqual(
      changes.map(([f, t]) => `${f}→${t}`),
      ['closed→open', 'open→half-open', 'half-open→open', 'open→half-open'],
    );
  });

  it('half-open + success → closed, failures reset', () => {
    const { cb, clock, changes, fail } = setup();
    fail(3);
    clock.advance(10_000);
    cb.allow();
    cb.recordSuccess();
    assert.equal(cb.state, 'closed');
    assert.equal(cb.failures, 0);
    assert.equal(cb.changedAt, 11_000);
    assert.deepEqual([cb.allow(), cb.allow()], [true, true]);
    assert.deepEqual(changes.at(-1), ['half-open', 'closed', 11_000]);
    fail(2);
    assert.equal(cb.state, 'closed'); // counts from zero again
  });

  it('a failure reported while already open does not extend the open period', () => {
    const { cb, clock, fail } = setup();
    fail(3);
    clock.advance(5_000);
    cb.recordFailure();
    assert.equal(cb.retryAt, 11_000);
    clock.advance(5_000);
    assert.equal(cb.allow(), true);
  });

  it('a trial that never reports is presumed lost after another openMs', () => {
    const { cb, clock, fail } = setup();
    fail(3);
    clock.advance(10_000);
    assert.equal(cb.allow(), true);
    clock.advance(9_999);
    assert.equal(cb.allow(), false);
    clock.advance(1);
    assert.equal(cb.allow(), true);
    assert.equal(cb.allow(), false);
    assert.equal(cb.state, 'half-open');
  });

  it('success while closed does not fire onChange', () => {
    const { cb, changes } = setup();
    cb.recordSuccess();
    assert.deepEqual(changes, []);
  });

  it('disabled: always closed, always allows, counts nothing', () => {
    const { cb, changes, fail } = setup({ enabled: false });
    fail(100);
    assert.equal(cb.state, 'closed');
    assert.equal(cb.failures, 0);
    assert.equal(cb.allow(), true);
    cb.recordSuccess();
    assert.equal(cb.changedAt, undefined);
    assert.deepEqual(changes, []);
  });

  it('a threshold below 1 acts as 1', () => {
    const { cb, fail } = setup({ failureThreshold: 0 });
    fail(1);
    assert.equal(cb.state, 'open');
  });
});
