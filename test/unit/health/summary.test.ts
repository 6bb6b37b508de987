import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import { ErrorCodes, VmcpError } from '../../../src/errors/codes.js';
import {
  backendMessage,
  buildConditions,
  categorize,
  determinePhase,
  isAuthError,
  isRoutableState,
  routable,
  statusMessage,
  summarize,
  toStatusString,
} from '../../../src/health/summary.js';
import type { BackendHealth, HealthState, Summary } from '../../../src/health/types.js';

const sum = (p: Partial<Summary>): Summary => {
  const s = { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, unauthenticated: 0, ...p };
  return { total: s.healthy + s.degraded + s.unhealthy + s.unknown + s.unauthenticated, ...s };
};
const rec = (state: HealthState, extra: Partial<BackendHealth> = {}): BackendHealth => ({
  name: 'b',
  state,
  consecutiveFailures: 0,
  circuit: 'closed',
  lastCheck: 1000,
  ...extra,
});

describe('summarize', () => {
  it('counts each state; routable = healthy + unauthenticated', () => {
    const states: HealthState[] = ['healthy', 'healthy', 'degraded', 'unhealthy', 'unknown', 'unauthenticated'];
    const s = summarize(states.map((st) => rec(st)));
    assert.deepEqual(s, { total: 6, healthy: 2, degraded: 1, unhealthy: 1, unknown: 1, unauthenticated: 1 });
    assert.equal(routable(s), 3);
  });
  it('leaves out backends whose first probe has not finished (ToolHive: no record yet)', () => {
    const waiting: BackendHealth = { name: 'w', state: 'unknown', consecutiveFailures: 0, circuit: 'closed' };
    assert.deepEqual(summarize([waiting, waiting]), sum({}));
    assert.deepEqual(summarize([waiting, rec('healthy')]), sum({ healthy: 1 }));
    // A first probe that failed below the threshold counts, as unknown.
    assert.deepEqual(summarize([rec('unknown', { consecutiveFailures: 1 })]), sum({ unknown: 1 }));
  });
  it('isRoutableState', () => {
    assert.deepEqual((['healthy', 'degraded', 'unhealthy', 'unauthenticated', 'unknown'] as const).map(isRoutableState), [
      true,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe('phase, status message and Ready condition', () => {
  const table: Array<{ name: string; s: Summary; configured: number; phase: string; message: string; reason: string; ready: string }> = [
    {
      name: 'zero configured',
      s: sum({}),
      configured: 0,
      phase: 'Ready',
      message: 'Ready, no backends configured',
      reason: 'AllBackendsRoutable',
      ready: 'Ready, no backends configured',
    },
    {
      name: 'pending (2)',
      s: sum({}),
      configured: 2,
      phase: 'Pending',
      message: 'Waiting for initial health checks (2 backends configured)',
      reason: 'BackendsPending',
      ready: 'Waiting for initial health checks (2 backends configured)',
    },
    {
      name: 'pending (1)',
      s: sum({}),
      configured: 1,
      phase: 'Pending',
      message: 'Waiting for initial health checks (1 backend configured)',
      reason: 'BackendsPending',
      ready: 'Waiting for initial health checks (1 backend configured)',
    },
    {
      name: 'all healthy (2)',
      s: sum({ healthy: 2 }),
      configured: 2,
      phase: 'Ready',
      message: 'All 2 backends healthy',
      reason: 'AllBackendsRoutable',
      ready: 'All 2 backends are healthy',
    },
    {
      name: 'one healthy',
      s: sum({ healthy: 1 }),
      configured: 1,
      phase: 'Ready',
      message: 'All 1 backend healthy',
      reason: 'AllBackendsRoutable',
      ready: 'All 1 backend is healthy',
    },
    {
      name: 'all unauthenticated (2)',
      s: sum({ unauthenticated: 2 }),
      configured: 2,
      phase: 'Ready',
      message: 'All 2 backends require authentication',
      reason: 'AllBackendsRoutable',
      ready: 'All 2 backends require authentication',
    },
    {
      name: 'all unauthenticated (1)',
      s: sum({ unauthenticated: 1 }),
      configured: 1,
      phase: 'Ready',
      message: '1 backend requires authentication',
      reason: 'AllBackendsRoutable',
      ready: '1 backend requires authentication',
    },
    {
      name: 'mixed 1+1',
      s: sum({ healthy: 1, unauthenticated: 1 }),
      configured: 2,
      phase: 'Ready',
      message: '1 backend healthy, 1 requires authentication',
      reason: 'AllBackendsRoutable',
      ready: '1 backend healthy, 1 requires authentication',
    },
    {
      name: 'mixed 2+2',
      s: sum({ healthy: 2, unauthenticated: 2 }),
      configured: 4,
      phase: 'Ready',
      message: '2 backends healthy, 2 require authentication',
      reason: 'AllBackendsRoutable',
      ready: '2 backends healthy, 2 require authentication',
    },
    {
      name: 'mixed 2+1',
      s: sum({ healthy: 2, unauthenticated: 1 }),
      configured: 3,
      phase: 'Ready',
      message: '2 backends healthy, 1 requires authentication',
      reason: 'AllBackendsRoutable',
      ready: '2 backends healthy, 1 requires authentication',
    },
    {
      name: 'failed: all unhealthy',
      s: sum({ unhealthy: 2 }),
      configured: 2,
      phase: 'Failed',
      message: 'No routable backends (0 degraded, 2 unhealthy, 0 unknown)',
      reason: 'NoRoutableBackends',
      ready: 'No routable backends available',
    },
    {
      name: 'failed: degraded + unknown',
      s: sum({ degraded: 1, unknown: 1 }),
      configured: 2,
      phase: 'Failed',
      message: 'No routable backends (1 degraded, 0 unhealthy, 1 unknown)',
      reason: 'NoRoutableBackends',
      ready: 'No routable backends available',
    },
    {
      name: 'degraded: healthy + unhealthy',
      s: sum({ healthy: 1, unhealthy: 1 }),
      configured: 2,
      phase: 'Degraded',
      message: '1/2 backends routable (0 degraded, 1 unhealthy, 0 unknown)',
      reason: 'SomeBackendsUnhealthy',
      ready: '1/2 backends routable',
    },
    {
      name: 'degraded: degraded + unauthenticated',
      s: sum({ degraded: 1, unauthenticated: 1 }),
      configured: 2,
      phase: 'Degraded',
      message: '1/2 backends routable (1 degraded, 0 unhealthy, 0 unknown)',
      reason: 'SomeBackendsUnhealthy',
      ready: '1/2 backends routable',
    },
    {
      name: 'degraded: all kinds',
      s: sum({ healthy: 1, unauthenticated: 1, degraded: 1, unhealthy: 1, unknown: 1 }),
      configured: 5,
      phase: 'Degraded',
      message: '2/5 backends routable (1 degraded, 1 unhealthy, 1 unknown)',
      reason: 'SomeBackendsUnhealthy',
      ready: '2/5 backends routable',
    },
    {
      name: 'partly probed: counts only what reported',
      s: sum({ healthy: 1 }),
      configured: 3,
      phase: 'Ready',
      message: 'All 1 backend healthy',
      reason: 'AllBackendsRoutable',
      ready: 'All 1 backend is healthy',
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      assert.equal(determinePhase(t.s, t.configured), t.phase);
      assert.equal(statusMessage(t.s, t.configured), t.message);
      const ready = buildConditions(t.s, t.configured)[0]!;
      assert.deepEqual(ready, { type: 'Ready', status: t.phase === 'Ready' ? 'True' : 'False', reason: t.reason, message: t.ready });
    });
  }
});

describe('buildConditions', () => {
  it('BackendsDiscovered: counts configured backends, singular, none', () => {
    const discovered = (configured: number) => buildConditions(sum({}), configured)[1];
    assert.deepEqual(discovered(3), {
      type: 'BackendsDiscovered',
      status: 'True',
      reason: 'BackendsDiscovered',
      message: 'Discovered 3 backends',
    });
    assert.equal(discovered(1)?.message, 'Discovered 1 backend');
    assert.equal(discovered(0)?.message, 'No backends configured');
  });
  it('BackendsDegraded only when a backend is degraded', () => {
    assert.equal(buildConditions(sum({ healthy: 2 }), 2).length, 2);
    assert.deepEqual(buildConditions(sum({ healthy: 1, degraded: 2 }), 3)[2], {
      type: 'BackendsDegraded',
      status: 'True',
      reason: 'BackendsDegraded',
      message: '2 backends degraded',
    });
    assert.equal(buildConditions(sum({ degraded: 1 }), 1)[2]?.message, '1 backend degraded');
  });
});

describe('toStatusString', () => {
  for (const [state, expected] of [
    ['healthy', 'ready'],
    ['degraded', 'degraded'],
    ['unhealthy', 'unavailable'],
    ['unauthenticated', 'unauthenticated'],
    ['unknown', 'unknown'],
  ] as const) {
    it(`${state} → ${expected}`, () => assert.equal(toStatusString(state), expected));
  }
});

describe('backendMessage', () => {
  const table: Array<[string, BackendHealth, string, number?]> = [
    ['healthy', rec('healthy', { latencyMs: 12 }), 'Healthy'],
    ['unknown, never probed', { name: 'b', state: 'unknown', consecutiveFailures: 0, circuit: 'closed' }, 'Waiting for first health check'],
    ['unknown after one failure', rec('unknown', { consecutiveFailures: 1, lastError: 'Connection failed' }), 'Connection failed'],
    [
      'healthy with a failure below threshold',
      rec('healthy', { consecutiveFailures: 2, lastError: 'Health check timed out' }),
      'Health check timed out (failures: 2)',
    ],
    [
      'unhealthy with failures',
      rec('unhealthy', { consecutiveFailures: 3, lastError: 'Backend unavailable' }),
      'Backend unavailable (failures: 3)',
    ],
    ['unhealthy, no error recorded', rec('unhealthy'), 'Unhealthy'],
    ['degraded, slow (with threshold)', rec('degraded', { latencyMs: 6200.4 }), 'Slow response (6200 ms, threshold 5000 ms)', 5000],
    [
      'degraded, no threshold given: cannot tell slow from recovering',
      rec('degraded', { latencyMs: 6200 }),
      'Slow response or recovering from failures (last probe 6200 ms)',
    ],
    ['degraded, recovering', rec('degraded', { latencyMs: 40 }), 'Recovering after failures (last probe 40 ms)', 5000],
    ['degraded, no latency', rec('degraded'), 'Degraded performance'],
    [
      'unauthenticated per-user',
      rec('unauthenticated', { auth: 'per-user', lastError: 'Authentication failed' }),
      'Requires per-user authentication (routable)',
    ],
    ['unauthenticated, auth not given', rec('unauthenticated'), 'Requires per-user authentication (routable)'],
    [
      'unauthenticated unconfigured',
      rec('unauthenticated', { auth: 'unconfigured', lastError: 'Authentication failed' }),
      'Authentication required: no credentials configured for this backend',
    ],
    [
      'circuit open',
      rec('unhealthy', { consecutiveFailures: 5, lastError: 'Connection failed', circuit: 'open' }),
      'Circuit breaker OPEN - Connection failed (failures: 5)',
    ],
    [
      'circuit half-open',
      rec('unhealthy', { consecutiveFailures: 1, lastError: 'Connection failed', circuit: 'half-open' }),
      'Circuit breaker testing recovery - Connection failed',
    ],
    [
      'circuit half-open, recovered',
      rec('degraded', { latencyMs: 10, circuit: 'half-open' }),
      'Circuit breaker testing recovery - Recovering after failures (last probe 10 ms)',
      5000,
    ],
  ];
  for (const [name, h, expected, threshold] of table) {
    it(name, () => assert.equal(backendMessage(h, threshold), expected));
  }
});

describe('categorize / isAuthError', () => {
  const econnrefused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const abort = new DOMException('This operation was aborted', 'AbortError');
  const table: Array<[string, unknown, string]> = [
    [
      'SdkHttpError 401',
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint: unauthorized', { status: 401 }),
      'Authentication failed',
    ],
    ['SdkHttpError 403', new SdkHttpError(SdkErrorCode.ClientHttpForbidden, 'denied', { status: 403 }), 'Authentication failed'],
    [
      'SdkError ClientHttpAuthentication',
      new SdkError(SdkErrorCode.ClientHttpAuthentication, 'Server returned 401 after re-authentication'),
      'Authentication failed',
    ],
    ['UnauthorizedError', new UnauthorizedError(), 'Authentication failed'],
    ['SseError 401', new SseError(401, 'Unauthorized', {} as never), 'Authentication failed'],
    [
      'auth wrapped in VmcpError',
      new VmcpError(ErrorCodes.BACKEND_FAILED, 'failed', {}, { cause: new UnauthorizedError() }),
      'Authentication failed',
    ],
    ['text that mentions 401 is not parsed', new Error('request failed: HTTP 401'), 'Health check failed'],
    ['SdkError RequestTimeout', new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), 'Health check timed out'],
    [
      'VmcpError with a timeout failure',
      new VmcpError(ErrorCodes.BACKEND_TIMEOUT, 'did not answer', {}, { failure: { kind: 'timeout', backend: 'b' } }),
      'Health check timed out',
    ],
    [
      'TimeoutError (AbortSignal.timeout)',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'Health check timed out',
    ],
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'Health check timed out'],
    ['text that mentions a timeout is not parsed', new Error('context deadline exceeded'), 'Health check failed'],
    ['AbortError', abort, 'Health check cancelled'],
    ['SDK abort (RequestTimeout carrying AbortError)', new SdkError(SdkErrorCode.RequestTimeout, String(abort)), 'Health check cancelled'],
    [
      'VmcpError with a cancelled failure',
      new VmcpError(ErrorCodes.CANCELLED, 'cancelled', {}, { failure: { kind: 'cancelled', backend: 'b' } }),
      'Health check cancelled',
    ],
    ['Node ECONNREFUSED', econnrefused, 'Connection failed'],
    [
      'fetch failed (cause ENOTFOUND)',
      new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) }),
      'Connection failed',
    ],
    ['fetch failed (no cause): nothing to classify', new TypeError('fetch failed'), 'Health check failed'],
    ['undici socket error', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'Connection failed'],
    [
      'unavailable wrapping ECONNREFUSED: the cause is more precise',
      new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, 'down', {}, { cause: econnrefused }),
      'Connection failed',
    ],
    [
      'VmcpError BACKEND_UNAVAILABLE',
      new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, 'Backend "x" is unavailable (down): process exited'),
      'Backend unavailable',
    ],
    ['SdkError ConnectionClosed', new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), 'Backend unavailable'],
    ['SdkHttpError 503', new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing', { status: 503 }), 'Backend unavailable'],
    [
      'SdkHttpError 504 is 5xx, not a timeout',
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'gateway timeout', { status: 504 }),
      'Backend unavailable',
    ],
    ['text that says "process exited" is not parsed', new Error('process exited with code 1'), 'Health check failed'],
    ['ProtocolError (backend answered with a JSON-RPC error)', new ProtocolError(-32603, 'boom'), 'Health check failed'],
    [
      'SdkHttpError 404 (our session is gone: reconnect)',
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint: not found', { status: 404 }),
      'Connection failed',
    ],
    ['VmcpError BACKEND_FAILED, no cause', new VmcpError(ErrorCodes.BACKEND_FAILED, 'failed'), 'Health check failed'],
    ['plain Error', new Error('weird'), 'Health check failed'],
    ['a string', 'nope', 'Health check failed'],
    ['undefined', undefined, 'Health check failed'],
  ];
  for (const [name, err, expected] of table) {
    it(name, () => {
      assert.equal(categorize(err), expected);
      assert.equal(isAuthError(err), expected === 'Authentication failed');
    });
  }
  it('survives cyclic cause chains', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.equal(categorize(a), 'Health check failed');
  });
});
