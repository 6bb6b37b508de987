// A session flood: many clients (several source addresses on 127/8) open 2025-era sessions as
// fast as they can and never finish the handshake, for VMCP_ABUSE_SECONDS, against a gateway whose
// heap is capped at 256 MB. The gateway must stay up with bounded memory, refuse beyond its caps
// with 503 (maxSessions) or 429 (maxSessionsPerPrincipal) plus Retry-After and a body naming the
// limit, drop sessions that never send notifications/initialized after sessionInitTimeout, and
// serve the canary session on another backend throughout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { abuseSeconds, CANARY_BACKEND, CANARY_TOOL } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { MiB, RssSampler } from './lib/proc.js';
import { initializeBody, legacyHeaders, openSession, raw, seen, type RawResponse } from './lib/raw.js';

const MAX_SESSIONS = 100;
const PER_PRINCIPAL = 15;
/** Long enough that even a slow machine opens more than MAX_SESSIONS sessions within it. */
const INIT_TIMEOUT_S = 4;
/** 8 anonymous "principals" (one per source address) × 15 > 100. */
const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const MAX_GROWTH = 150 * MiB;

const LIMIT_OF: Record<number, string> = { 503: 'server.limits.maxSessions', 429: 'server.limits.maxSessionsPerPrincipal' };

interface Tally {
  created: number;
  refused: Record<number, number>;
  wrong: string[];
  errors: string[];
}

/** Why a response to initialize is not an acceptable refusal ('' when it is one). */
function badRefusal(res: RawResponse): string {
  const limit = LIMIT_OF[res.status];
  if (!limit) return `expected 200, 429 or 503, saw ${seen(res)}`;
  const retry = res.headers['retry-after'];
  if (typeof retry !== 'string' || !/^\d+$/.test(retry) || Number(retry) < 1) return `expected Retry-After: <seconds>, saw ${seen(res)}`;
  const err = res.messages[0]?.error;
  if (err?.code !== -32000 || err.data?.code !== 'VMCP_SESSION_LIMIT' || err.data.limit !== limit) {
    return `expected {code:-32000, data:{code:'VMCP_SESSION_LIMIT', limit:'${limit}'}}, saw ${seen(res)}`;
  }
  return '';
}

async function floodFrom(url: string, address: string, until: number, tally: Tally): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress: address });
  const worker = async () => {
    while (Date.now() < until) {
      try {
        const res = await raw(url, { body: initializeBody(1, `flood-${address}`), agent, timeoutMs: 20_000 });
        if (res.status === 200) tally.created += 1;
        else {
          tally.refused[res.status] = (tally.refused[res.status] ?? 0) + 1;
          const why = badRefusal(res);
          if (why && tally.wrong.length < 5) tally.wrong.push(why);
        }
      } catch (err) {
        if (tally.errors.length < 5) tally.errors.push(`${address}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  agent.destroy();
}

describe('session flood', () => {
  let gw: CliGateway;
  before(async () => {
    gw = await startCli(
      {
        name: 'abuse-sessions',
        server: { limits: { maxSessions: MAX_SESSIONS, maxSessionsPerPrincipal: PER_PRINCIPAL, sessionInitTimeout: `${INIT_TIMEOUT_S}s` } },
        backends: [CANARY_BACKEND],
      },
      { nodeArgs: ['--max-old-space-size=256'] },
    );
  });
  after(() => gw?.stop());

  it(`stays up and bounded for ${abuseSeconds()} s of never-initialized sessions, refusing with 503/429 + Retry-After`, async () => {
    const before = await healthySnapshot(gw, ['canary']);
    await using canary = await startCanary(gw.url, CANARY_TOOL);
    const rss = new RssSampler(gw.pid);
    const tally: Tally = { created: 0, refused: {}, wrong: [], errors: [] };
    const until = Date.now() + abuseSeconds() * 1000;
    await gw.guard(Promise.all(ADDRESSES.map((a) => floodFrom(gw.url, a, until, tally))));
    rss.stop();
    const report = await canary.stop();
    const summary = `created ${tally.created}, refused ${JSON.stringify(tally.refused)}; ${rss.describe()}`;
    assert.ok(gw.alive(), `the gateway died under the flood (${summary}): ${gw.logs.tail(5)}`);
    assert.deepEqual(tally.wrong, [], `every refusal is 503/429 with Retry-After naming the limit (${summary})`);
    assert.deepEqual(tally.errors, [], `no connection errors during the flood (${summary})`);
    const refused = (tally.refused[503] ?? 0) + (tally.refused[429] ?? 0);
    assert.ok(refused > 0, `the flood must reach the caps (${MAX_SESSIONS}, ${PER_PRINCIPAL} per address): expected refusals (${summary})`);
    assert.ok(rss.growth < MAX_GROWTH, `memory must stay bounded under the flood: ${summary}`);
    assertCanary(report, 'the session flood');
    await assertUntouched(gw, before, 'a session flood');

    // Every flooded session was never initialized, so all of them are gone after the timeout:
    // a new client gets a session again.
    await new Promise((r) => setTimeout(r, (INIT_TIMEOUT_S + 1.5) * 1000));
    await using fresh = await gw.guard(connectClient(gw.url));
    assert.ok((await fresh.listTools()).tools.length > 0, 'a new session works once the flooded ones expired');
  });

  it('drops a session that never sends notifications/initialized after sessionInitTimeout (404 afterwards)', async () => {
    const init = await raw(gw.url, { body: initializeBody(1, 'never-initialized'), localAddress: '127.0.0.20' });
    const sid = init.headers['mcp-session-id'];
    assert.equal(typeof sid, 'string', `initialize: ${seen(init)}`);
    await new Promise((r) => setTimeout(r, (INIT_TIMEOUT_S + 1.5) * 1000));
    const late = await raw(gw.url, {
      headers: legacyHeaders(sid as string),
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      localAddress: '127.0.0.20',
    });
    assert.equal(late.status, 404, `notifications/initialized ${INIT_TIMEOUT_S + 1.5} s after initialize: expected 404, saw ${seen(late)}`);
  });

  it('keeps one principal from taking every session: 429 for it, sessions for others', async () => {
    const address = '127.0.0.30';
    const held: string[] = [];
    let refusal: RawResponse | undefined;
    for (let i = 0; i < PER_PRINCIPAL + 5 && !refusal; i++) {
      try {
        held.push(await openSession(gw.url, { localAddress: address }));
      } catch {
        refusal = await raw(gw.url, { body: initializeBody(), localAddress: address });
      }
    }
    assert.ok(refusal, `expected a refusal after ${PER_PRINCIPAL} complete sessions from one address; it got ${held.length}`);
    assert.equal(held.length, PER_PRINCIPAL, `sessions granted to one address before the refusal: ${seen(refusal)}`);
    assert.equal(badRefusal(refusal), '', 'the refusal names maxSessionsPerPrincipal');
    assert.equal(refusal.status, 429, seen(refusal));
    const other = await openSession(gw.url, { localAddress: '127.0.0.31' });
    assert.ok(other, 'another address still gets a session');
    // The held sessions keep working: the cap refuses new ones, it does not break old ones.
    const ping = await raw(gw.url, {
      headers: legacyHeaders(held[0]!),
      body: '{"jsonrpc":"2.0","id":9,"method":"ping"}',
      localAddress: address,
    });
    assert.equal(ping.status, 200, `ping on a held session: ${seen(ping)}`);
  });

  it('refuses beyond maxSessions with 503 for a newcomer, whoever holds the sessions', async () => {
    const granted: string[] = [];
    let refusal: RawResponse | undefined;
    // Complete sessions from fresh addresses (each under its own cap) until the gateway is full.
    for (let i = 0; i < MAX_SESSIONS + 1 && !refusal; i++) {
      const address = `127.0.1.${Math.floor(i / (PER_PRINCIPAL - 1)) + 1}`;
      try {
        granted.push(await openSession(gw.url, { localAddress: address }));
      } catch {
        refusal = await raw(gw.url, { body: initializeBody(), localAddress: address });
      }
    }
    assert.ok(refusal, `expected a refusal within ${MAX_SESSIONS + 1} sessions; ${granted.length} were granted`);
    assert.equal(refusal.status, 503, `a newcomer beyond maxSessions: expected 503, saw ${seen(refusal)}`);
    assert.equal(badRefusal(refusal), '', 'the refusal names maxSessions');
    const ping = await raw(gw.url, {
      headers: legacyHeaders(granted[0]!),
      body: '{"jsonrpc":"2.0","id":9,"method":"ping"}',
      localAddress: '127.0.1.1',
    });
    assert.equal(ping.status, 200, `the full gateway still serves existing sessions: ${seen(ping)}`);
  });
});
