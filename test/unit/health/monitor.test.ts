// The monitor with fake probes and an injected clock: thresholds, real-traffic feedback, the
// circuit gate and its half-open trial, and immediate notice of a lost connection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HealthMonitor, type HealthChange } from '../../../src/health/monitor.js';
import { circuitGate } from '../../../src/routing/middleware/circuit-gate.js';
import { healthGate } from '../../../src/app/health.js';
import type { RequestContext, ResolvedCall } from '../../../src/routing/context.js';
import { ErrorCodes, VmcpError } from '../../../src/errors/codes.js';
import { ProtocolError } from '@modelcontextprotocol/client';

const health = { intervalMs: 0, timeoutMs: 1000, unhealthyThreshold: 3, degradedThresholdMs: 5000 };

function setup(opts: { breaker?: boolean; probe?: () => Promise<void> } = {}) {
  let now = 1_000_000;
  const changes: HealthChange[] = [];
  let probeImpl = opts.probe ?? (async () => undefined);
  const monitor = new HealthMonitor({
    backends: [{ name: 'b', health, auth: 'unconfigured', probe: () => probeImpl() }],
    breaker: { enabled: opts.breaker ?? false, failureThreshold: 2, openMs: 10_000 },
    clock: { now: () => now },
    onChange: (c) => changes.push(c),
  });
  return {
    monitor,
    changes,
    advance: (ms: number) => (now += ms),
    setProbe: (p: () => Promise<void>) => (probeImpl = p),
  };
}

const down = () => new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, 'down', {}, { failure: { kind: 'connection', backend: 'b' } });

describe('HealthMonitor', () => {
  it('starts unknown, becomes healthy on a probe, unhealthy after unhealthyThreshold failures', async () => {
    const t = setup();
    assert.equal(t.monitor.get('b')!.state, 'unknown');
    await t.monitor.probeNow('b');
    assert.equal(t.monitor.get('b')!.state, 'healthy');
    t.setProbe(async () => {
      throw down();
    });
    await t.monitor.probeNow('b');
    await t.monitor.probeNow('b');
    assert.equal(t.monitor.get('b')!.state, 'healthy', 'below the threshold');
    await t.monitor.probeNow('b');
    assert.equal(t.monitor.get('b')!.state, 'unhealthy');
    assert.equal(t.monitor.get('b')!.consecutiveFailures, 3);
    assert.deepEqual(
      t.changes.map((c) => `${c.from.state}→${c.to.state}`),
      ['unknown→healthy', 'healthy→unhealthy'],
    );
    t.monitor.close();
  });

  it('counts failed real calls like failed probes, and notices a lost connection at once', async () => {
    const t = setup();
    await t.monitor.probeNow('b');
    t.monitor.recordCall('b', down());
    t.monitor.connectionLost('b');
    assert.equal(t.monitor.get('b')!.consecutiveFailures, 2);
    t.monitor.recordCall('b', down());
    assert.equal(t.monitor.get('b')!.state, 'unhealthy');
    t.monitor.close();
  });

  it('a 401 makes the backend unauthenticated (routable), not a failure', async () => {
    const err = Object.assign(new Error('Unauthorized'), { status: 401 });
    const t = setup({
      probe: async () => {
        throw err;
      },
    });
    await t.monitor.probeNow('b');
    assert.equal(t.monitor.get('b')!.state, 'unauthenticated');
    assert.equal(t.monitor.get('b')!.auth, 'unconfigured');
    assert.equal(t.monitor.get('b')!.consecutiveFailures, 0);
    t.monitor.close();
  });

  it('opens the circuit after failureThreshold, gates calls, then lets one trial through after the timeout', async () => {
    const t = setup({ breaker: true });
    t.monitor.recordCall('b', down());
    assert.equal(t.monitor.allow('b'), true);
    t.monitor.recordCall('b', down());
    assert.equal(t.monitor.get('b')!.circuit, 'open');
    assert.equal(t.monitor.allow('b'), false);
    assert.equal(t.monitor.get('b')!.circuitRetryAt, 1_000_000 + 10_000);
    t.advance(10_001);
    assert.equal(t.monitor.allow('b'), true, 'the half-open trial');
    assert.equal(t.monitor.allow('b'), false, 'only one trial');
    t.monitor.recordCall('b');
    assert.equal(t.monitor.get('b')!.circuit, 'closed');
    assert.equal(t.monitor.allow('b'), true);
    t.monitor.close();
  });
});

describe('circuit gate middleware', () => {
  const call = (): ResolvedCall => ({
    method: 'tools/call',
    params: { name: 't' },
    target: { kind: 'backend', backend: 'b', entry: 'tool', name: 't', advertised: 't' },
    ctx: {} as RequestContext,
  });
  const gated = (t: ReturnType<typeof setup>, impl: () => Promise<Record<string, unknown>>) =>
    circuitGate(healthGate(t.monitor))(async () => impl());

  it('fails fast with an error naming the backend and the retry time while the circuit is open', async () => {
    const t = setup({ breaker: true });
    let calls = 0;
    const send = gated(t, async () => {
      calls += 1;
      throw down();
    });
    await assert.rejects(send(call()));
    await assert.rejects(send(call()));
    await assert.rejects(
      send(call()),
      (e: Error) =>
        /Backend "b" is unavailable: its circuit breaker is open/.test(e.message) && /retried at .*Z \(in \d+s\)/.test(e.message),
    );
    assert.equal(calls, 2, 'the third call never reached the backend');
    t.monitor.close();
  });

  it("treats a backend's own JSON-RPC error as proof of life", async () => {
    const t = setup({ breaker: true });
    const send = gated(t, async () => {
      throw new ProtocolError(-32602, 'bad args');
    });
    for (let i = 0; i < 5; i++) await assert.rejects(send(call()), /bad args/);
    assert.equal(t.monitor.get('b')!.circuit, 'closed');
    assert.equal(t.monitor.get('b')!.consecutiveFailures, 0);
    t.monitor.close();
  });

  it("never counts the client's or the gateway's own failures against the backend", async () => {
    const t = setup({ breaker: true });
    const faults = [
      new VmcpError(ErrorCodes.INVALID_PARAMS, 'bad'),
      new VmcpError(ErrorCodes.INTERNAL, 'a gateway bug'),
      new VmcpError(ErrorCodes.CANCELLED, 'cancelled', {}, { failure: { kind: 'cancelled', backend: 'b' } }),
      new VmcpError(ErrorCodes.RESULT_TOO_LARGE, 'too big', {}, { failure: { kind: 'too-large', backend: 'b' } }),
    ];
    for (const fault of faults) {
      for (let i = 0; i < 3; i++) await assert.rejects(gated(t, async () => Promise.reject(fault))(call()));
    }
    assert.equal(t.monitor.get('b')!.circuit, 'closed');
    assert.equal(t.monitor.get('b')!.consecutiveFailures, 0);
    t.monitor.close();
  });
});
