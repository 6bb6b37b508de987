import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countsAsFailure, initialHealth, nextHealth } from '../../../src/health/transitions.js';
import type { ProbeOutcome, TransitionOptions } from '../../../src/health/transitions.js';
import type { BackendHealth, HealthState } from '../../../src/health/types.js';

const opts = (now: number, over: Partial<TransitionOptions> = {}): TransitionOptions => ({
  unhealthyThreshold: 3,
  degradedThresholdMs: 5000,
  now,
  ...over,
});
const ok = (latencyMs = 10): ProbeOutcome => ({ ok: true, latencyMs });
const fail = (category: 'Connection failed' | 'Health check timed out' = 'Connection failed'): ProbeOutcome => ({ ok: false, category });
const authFail = (auth?: 'per-user' | 'unconfigured'): ProbeOutcome =>
  auth ? { ok: false, category: 'Authentication failed', auth } : { ok: false, category: 'Authentication failed' };

/** Runs outcomes from the initial record, one per second, and returns every state reached. */
function run(outcomes: ProbeOutcome[], over: Partial<TransitionOptions> = {}, start: BackendHealth = initialHealth('b')): BackendHealth[] {
  const seen: BackendHealth[] = [];
  let h = start;
  outcomes.forEach((o, i) => {
    h = nextHealth(h, o, opts((i + 1) * 1000, over));
    seen.push(h);
  });
  return seen;
}
const states = (hs: BackendHealth[]): HealthState[] => hs.map((h) => h.state);

describe('nextHealth: state sequences', () => {
  const table: Array<[string, ProbeOutcome[], HealthState[], Partial<TransitionOptions>?]> = [
    ['first success → healthy', [ok()], ['healthy']],
    ['first slow success → degraded', [ok(6000)], ['degraded']],
    ['latency equal to the threshold is not slow', [ok(5000)], ['healthy']],
    ['degradedThreshold 0 disables slowness', [ok(60_000)], ['healthy'], { degradedThresholdMs: 0 }],
    ['slow then fast → healthy (no failures to recover from)', [ok(6000), ok()], ['degraded', 'healthy']],
    ['failures from unknown stay unknown below the threshold', [fail(), fail(), fail()], ['unknown', 'unknown', 'unhealthy']],
    ['threshold 1: the first failure is unhealthy', [fail()], ['unhealthy'], { unhealthyThreshold: 1 }],
    ['threshold below 1 acts as 1', [fail()], ['unhealthy'], { unhealthyThreshold: 0 }],
    ['healthy keeps its state below the threshold', [ok(), fail(), fail()], ['healthy', 'healthy', 'healthy']],
    [
      'healthy → unhealthy at the threshold',
      [ok(), fail(), fail(), fail(), fail()],
      ['healthy', 'healthy', 'healthy', 'unhealthy', 'unhealthy'],
    ],
    [
      'recovery is degraded for exactly one probe',
      [fail(), fail(), fail(), ok(), ok()],
      ['unknown', 'unknown', 'unhealthy', 'degraded', 'healthy'],
    ],
    [
      'a single failure below the threshold also needs one recovering probe (ToolHive)',
      [ok(), fail(), ok(), ok()],
      ['healthy', 'healthy', 'degraded', 'healthy'],
    ],
    [
      'slow success after recovery stays degraded',
      [fail(), fail(), fail(), ok(), ok(6000)],
      ['unknown', 'unknown', 'unhealthy', 'degraded', 'degraded'],
    ],
    ['auth failure → unauthenticated at once', [authFail()], ['unauthenticated']],
    [
      'auth answers keep it unauthenticated without counting failures',
      [authFail(), authFail(), authFail(), authFail()],
      ['unauthenticated', 'unauthenticated', 'unauthenticated', 'unauthenticated'],
    ],
    ['unauthenticated → healthy once credentials work (no recovery hold)', [authFail(), ok()], ['unauthenticated', 'healthy']],
    [
      'unauthenticated keeps its state below the threshold, then unhealthy',
      [authFail(), fail(), fail(), fail()],
      ['unauthenticated', 'unauthenticated', 'unauthenticated', 'unhealthy'],
    ],
    ['unhealthy → unauthenticated on a 401', [fail(), fail(), fail(), authFail()], ['unknown', 'unknown', 'unhealthy', 'unauthenticated']],
  ];
  for (const [name, outcomes, expected, over] of table) {
    it(name, () => assert.deepEqual(states(run(outcomes, over)), expected));
  }
});

describe('nextHealth: record fields', () => {
  it('success: resets failures, clears lastError and auth, records latency and lastCheck', () => {
    const [, , , , h] = run([authFail('unconfigured'), fail(), fail(), fail(), ok(42)]);
    assert.deepEqual(h, {
      name: 'b',
      state: 'degraded',
      consecutiveFailures: 0,
      circuit: 'closed',
      lastCheck: 5000,
      lastTransition: 5000,
      latencyMs: 42,
    });
  });
  it('failure: counts, records the category and keeps the last successful latency', () => {
    const [, h] = run([ok(42), fail('Health check timed out')]);
    assert.deepEqual(h, {
      name: 'b',
      state: 'healthy',
      consecutiveFailures: 1,
      circuit: 'closed',
      lastCheck: 2000,
      lastTransition: 1000,
      latencyMs: 42,
      lastError: 'Health check timed out',
    });
  });
  it('auth failure: records auth (default per-user), lastError, no failure count', () => {
    assert.deepEqual(run([authFail()])[0], {
      name: 'b',
      state: 'unauthenticated',
      consecutiveFailures: 0,
      circuit: 'closed',
      lastCheck: 1000,
      lastTransition: 1000,
      lastError: 'Authentication failed',
      auth: 'per-user',
    });
    assert.equal(run([authFail('unconfigured')])[0]?.auth, 'unconfigured');
  });
  it('auth failure resets a failure run', () => {
    const [, , h] = run([fail(), fail(), authFail()]);
    assert.equal(h?.consecutiveFailures, 0);
  });
  it('becoming unhealthy drops auth', () => {
    const h = run([authFail(), fail(), fail(), fail()])[3]!;
    assert.equal('auth' in h, false);
    assert.equal(h.consecutiveFailures, 3);
  });
  it('below the threshold an unauthenticated backend keeps its auth', () => {
    assert.equal(run([authFail('unconfigured'), fail()])[1]?.auth, 'unconfigured');
  });
  it('lastTransition changes only when the state changes', () => {
    const hs = run([fail(), ok(), ok(), ok(6000), ok(6000)]);
    assert.deepEqual(
      hs.map((h) => h.lastTransition),
      [undefined, 2000, 3000, 4000, 4000],
    );
    assert.deepEqual(
      hs.map((h) => h.lastCheck),
      [1000, 2000, 3000, 4000, 5000],
    );
  });
  it('keeps the circuit fields and does not mutate the previous record', () => {
    const prev: BackendHealth = { ...initialHealth('x'), circuit: 'open', circuitChangedAt: 5, circuitRetryAt: 60_005 };
    const frozen = Object.freeze({ ...prev });
    const next = nextHealth(frozen, fail(), opts(10));
    assert.equal(next.circuit, 'open');
    assert.equal(next.circuitRetryAt, 60_005);
    assert.deepEqual(frozen, prev);
  });
});

describe('countsAsFailure / initialHealth', () => {
  it('auth answers and successes do not count; other failures do', () => {
    assert.equal(countsAsFailure(ok()), false);
    assert.equal(countsAsFailure(authFail()), false);
    assert.equal(countsAsFailure(fail()), true);
    assert.equal(countsAsFailure({ ok: false, category: 'Health check cancelled' }), true);
  });
  it('initialHealth is unknown, closed, with no failures', () => {
    assert.deepEqual(initialHealth('a'), { name: 'a', state: 'unknown', consecutiveFailures: 0, circuit: 'closed' });
  });
});
