// Hostile scripts through the front door (both eras), against a real backend: each runaway ends
// with the limit it hit, escapes find only the sandbox's own globals, the gateway's process is
// untouched, and a canary session calling a tool directly keeps being served meanwhile. The
// canary's latency before and during the abuse is printed (as a test diagnostic), not asserted
// tightly: speed belongs to benchmarks, this only bounds it generously.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../bench/lib/stats.js';
import { connectClient, EVERYTHING, startGateway, stdioBackend, text } from '../helpers/gateway.js';

type Client = Awaited<ReturnType<typeof connectClient>>;

const LIMITS: readonly { name: string; script: string; limit: string }[] = [
  { name: 'while (true) {}', script: 'while (true) {}', limit: 'stepLimit' },
  { name: 'deep recursion', script: 'const f = (n) => f(n + 1) + 1; return f(0);', limit: 'stackLimit' },
  { name: 'a 1 GB string', script: "return 'x'.repeat(1e9).length;", limit: 'memoryLimit' },
  {
    name: 'a 10,000-call loop',
    script: 'for (let i = 0; i < 10000; i++) { try { await tools.everything_echo({ message: String(i) }); } catch (e) {} }',
    limit: 'maxToolCalls',
  },
  {
    name: 'parallel() of 1,000 calls',
    script: "return await parallel(Array.from({ length: 1000 }, (_, i) => () => tools.everything_echo({ message: 'p' + i })));",
    limit: 'maxToolCalls',
  },
  {
    name: '1,000 calls started at once',
    script: "return await Promise.all(Array.from({ length: 1000 }, (_, i) => tools.everything_echo({ message: 'a' + i })));",
    limit: 'maxPendingCalls',
  },
];

/** Escapes: each script returns what it found; none of it may be the host's. */
const ESCAPES: readonly { name: string; script: string; expect: unknown }[] = [
  {
    name: 'constructor.constructor and Function("return this")',
    script: `const g1 = tools.everything_echo.constructor.constructor('return this')();
      const g2 = Function('return this')();
      return [g1 === globalThis, g2 === globalThis, typeof g1.process, typeof g2.require, typeof globalThis.Buffer, typeof setTimeout];`,
    expect: [true, true, 'undefined', 'undefined', 'undefined', 'undefined'],
  },
  {
    name: 'prototype pollution of the bound tools',
    script: `const original = tools.everything_echo;
      tools.everything_echo = () => 'hijacked';
      delete tools.everything_echo;
      const refused = [
        () => { Object.setPrototypeOf(tools, { everything_echo: () => 'hijacked' }); },
        () => { Object.defineProperty(tools, 'extra', { value: 1 }); },
      ].map((t) => { try { t(); return false; } catch (e) { return e instanceof TypeError; } });
      Object.prototype.polluted = true;
      Function.prototype.call = () => 'hijacked';
      return { same: tools.everything_echo === original, refused, echo: await tools.everything_echo({ message: 'still echo' }) };`,
    expect: { same: true, refused: [true, true], echo: 'Echo: still echo' },
  },
];

function structured(result: unknown): { result?: unknown; error?: { limit?: string; message: string } } {
  return (result as { structuredContent: { result?: unknown; error?: { limit?: string; message: string } } }).structuredContent;
}

async function runScript(client: Client, script: string): Promise<unknown> {
  return client.request({ method: 'tools/call', params: { name: 'execute_tool_script', arguments: { script } } }, { timeout: 60_000 });
}

/** A session calling a tool directly, one call after another, until stopped: latencies and failures. */
function canary(client: Client): { count(): number; stop(): Promise<{ latencies: number[]; failures: number }> } {
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const r = await client.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'canary' } } });
        if (text(r as never) !== 'Echo: canary') failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - started);
    }
  })();
  let stopped: Promise<{ latencies: number[]; failures: number }> | undefined;
  return {
    count: () => latencies.length,
    stop: () =>
      (stopped ??= (async () => {
        running = false;
        await loop;
        return { latencies, failures };
      })()),
  };
}

/** Every runaway and escape script, in each era: what each ended with, and what it should have. */
async function abuse(clients: Record<string, Client>): Promise<{ what: string; got: unknown; expected: unknown }[]> {
  const outcomes: { what: string; got: unknown; expected: unknown }[] = [];
  for (const [era, client] of Object.entries(clients)) {
    for (const { name, script, limit } of LIMITS) {
      const r = structured(await runScript(client, script));
      outcomes.push({ what: `${era}: ${name} (${r.error?.message ?? 'no error'})`, got: r.error?.limit, expected: limit });
    }
    for (const { name, script, expect } of ESCAPES) {
      const r = structured(await runScript(client, script));
      outcomes.push({ what: `${era}: ${name} (${r.error?.message ?? 'no error'})`, got: r.result, expected: expect });
    }
  }
  return outcomes;
}

describe('code mode abuse through the gateway', () => {
  it('runaway and escaping scripts end on their limits while a canary session keeps its calls', async (t) => {
    const codeMode = { enabled: true, maxToolCalls: 100, maxPendingCalls: 50, scriptTimeout: '20s' };
    await using gw = await startGateway({ name: 'cm-abuse', codeMode, backends: [stdioBackend('everything', EVERYTHING, ['stdio'])] });
    await using canaryClient = await connectClient(gw.url, { name: 'canary' });
    const abusers = { legacy: await connectClient(gw.url, { era: 'legacy' }), modern: await connectClient(gw.url, { era: '2026-07-28' }) };
    const hostGlobals = Object.getOwnPropertyNames(globalThis).length;

    const baseline = canary(canaryClient);
    const baselineUntil = Date.now() + 10_000;
    while (baseline.count() < 40 && Date.now() < baselineUntil) await new Promise((r) => setTimeout(r, 50));
    const before = await baseline.stop();

    const during = canary(canaryClient);
    // The canary stops whatever happens: one still calling would hold the gateway's shutdown open.
    const outcomes = await abuse(abusers).finally(() => during.stop());
    const meanwhile = await during.stop();
    for (const o of outcomes) assert.deepEqual(o.got, o.expected, o.what);

    // The host: its prototypes and globals as they were, and the gateway serves scripts as before.
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getOwnPropertyNames(globalThis).length, hostGlobals);
    const after = structured(await runScript(abusers.modern, "return await tools.everything_echo({ message: 'after' });"));
    assert.equal(after.result, 'Echo: after');

    const b = summarize(before.latencies);
    const d = summarize(meanwhile.latencies);
    t.diagnostic(
      `canary echo before: n=${b.count} p50 ${b.p50.toFixed(1)} ms p99 ${b.p99.toFixed(1)} ms; ` +
        `during abuse: n=${d.count} p50 ${d.p50.toFixed(1)} ms p99 ${d.p99.toFixed(1)} ms max ${d.max.toFixed(1)} ms`,
    );
    assert.equal(before.failures + meanwhile.failures, 0, 'every canary call succeeded');
    assert.ok(d.count >= 20, `the canary kept being served (${d.count} calls)`);
    assert.ok(d.p99 < 5000, `canary p99 during abuse ${d.p99.toFixed(0)} ms stays within a generous bound`);
    await Promise.all(Object.values(abusers).map((c) => c.close()));
  });
});
