// The canary: an ordinary, well-behaved MCP client session on another backend that keeps calling
// while a test abuses the gateway. Abuse by one client must cost it nothing: every one of its
// calls must succeed, with the right answer.
import assert from 'node:assert/strict';
import { connectClient, text, type ClientOptions } from '../../helpers/gateway.js';

export interface CanaryReport {
  calls: number;
  failures: string[];
  /** Slowest call, for the failure message only (not asserted: no timed assertions on speed). */
  slowestMs: number;
}

/** Stop it with `stop()`; `await using` also stops it when a test fails before that. */
export interface Canary extends AsyncDisposable {
  stop(): Promise<CanaryReport>;
}

export interface CanaryOptions extends ClientOptions {
  /** Pause between calls (default 50 ms). */
  intervalMs?: number;
  /** A call that takes longer than this is a failure (default 15 s; the abuse must not starve it). */
  callTimeoutMs?: number;
}

/** Connect a client and call `tool` (an echo tool: `{message}` → the same text) in a loop. */
export async function startCanary(url: string, tool: string, opts: CanaryOptions = {}): Promise<Canary> {
  const client = await connectClient(url, { name: 'canary', ...opts });
  const report: CanaryReport = { calls: 0, failures: [], slowestMs: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const message = `canary-${report.calls}`;
      const started = performance.now();
      try {
        const result = await client.request(
          { method: 'tools/call', params: { name: tool, arguments: { message } } },
          { timeout: opts.callTimeoutMs ?? 15_000 },
        );
        const got = text(result as never);
        if (got !== message) report.failures.push(`call ${report.calls}: expected "${message}", got "${got.slice(0, 200)}"`);
      } catch (err) {
        report.failures.push(`call ${report.calls}: ${(err as Error).message.slice(0, 300)}`);
      }
      report.calls += 1;
      report.slowestMs = Math.max(report.slowestMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
    }
  })();
  let stopped: Promise<CanaryReport> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      running = false;
      await loop;
      await client.close().catch(() => undefined);
      return report;
    })());
  return { stop, [Symbol.asyncDispose]: async () => void (await stop()) };
}

/** The canary made calls, and none failed. */
export function assertCanary(report: CanaryReport, during: string): void {
  assert.ok(report.calls > 0, `the canary made no calls during ${during}`);
  assert.deepEqual(
    report.failures.slice(0, 5),
    [],
    `canary session on another backend: expected 0 failures during ${during}, saw ${report.failures.length} of ${report.calls} ` +
      `(slowest ${Math.round(report.slowestMs)} ms); first ones above`,
  );
}
