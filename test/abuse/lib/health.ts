// "No backend blamed": a backend's health in GET /status is read before and after the abuse, and
// must be exactly as it was wherever the client, not the backend, was at fault.
import assert from 'node:assert/strict';
import type { BackendStatus, CliGateway } from './cli-gateway.js';

export type Snapshot = Map<string, BackendStatus>;

/** Wait until every named backend is healthy in /status, and return that snapshot. */
export async function healthySnapshot(gw: CliGateway, names: readonly string[], timeoutMs = 20_000): Promise<Snapshot> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!gw.alive()) throw new Error(`the gateway is not running (it exited earlier); last log lines:\n${gw.logs.tail(8)}`);
    const r = await gw.status();
    if (names.every((n) => r.backends.some((b) => b.name === n && b.health === 'healthy'))) {
      return new Map(r.backends.filter((b) => names.includes(b.name)).map((b) => [b.name, b]));
    }
    if (Date.now() > until) {
      const shown = r.backends.map((b) => `${b.name}=${b.health}`).join(', ');
      throw new Error(`backends ${names.join(', ')} not healthy in /status after ${timeoutMs} ms: ${shown}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Each backend of `before` is still healthy, with its failure count and circuit unchanged. */
export async function assertUntouched(gw: CliGateway, before: Snapshot, why: string): Promise<void> {
  const after = await gw.status();
  for (const [name, was] of before) {
    const now = after.backends.find((b) => b.name === name);
    const show = (b: BackendStatus | undefined) =>
      b ? `health=${b.health} consecutiveFailures=${b.consecutiveFailures} circuit=${b.circuit} message="${b.message}"` : 'missing';
    const expected = `health=healthy consecutiveFailures=${was.consecutiveFailures} circuit=closed`;
    assert.ok(
      now && now.health === 'healthy' && now.consecutiveFailures === was.consecutiveFailures && now.circuit === 'closed',
      `backend ${name} must not be blamed for ${why}: expected ${expected}, /status shows ${show(now)}`,
    );
  }
}
