// Idle sockets: a client opens 600 TCP connections to a gateway limited to 512 file descriptors and
// never sends a byte. The gateway must survive (no crash on EMFILE), close every such socket once
// server.headersTimeout has passed, and then serve /health and new sessions again by itself; the
// canary session, whose connections were open before, sees no failure at any time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connectClient } from '../helpers/gateway.js';
import { assertCanary, startCanary } from './lib/canary.js';
import { startCli, type CliGateway } from './lib/cli-gateway.js';
import { CANARY_BACKEND, CANARY_TOOL } from './lib/config.js';
import { assertUntouched, healthySnapshot } from './lib/health.js';
import { openFds } from './lib/proc.js';

const NOFILE = 512;
const SOCKETS = 600;
const HEADERS_TIMEOUT_S = 2;
/** headersTimeout, plus time for the server's periodic check and for closing 600 sockets. */
const PER_SOCKET_MS = (HEADERS_TIMEOUT_S + 5) * 1000;
/**
 * 600 connects overflow the listen backlog: the kernel drops some handshakes and the client
 * retransmits its SYN after 1, 3, 7 and 15 s, so a socket may only be established many seconds
 * later. Each socket's bound is counted from its own connect (asserted below); the wait ends as
 * soon as all are closed, and at the latest after the fourth retransmission's socket had its bound.
 */
const DEADLINE_MS = 15_000 + PER_SOCKET_MS + 3000;

interface Idle {
  sockets: Socket[];
  closed: number;
  /** Sockets whose handshake completed. */
  connected: number;
  /** The longest time a socket stayed open after its connect completed. */
  longestMs: number;
  /** Resolves when every socket is closed, or at the deadline. */
  settled(deadlineMs: number): Promise<void>;
}

function openIdle(port: number, count: number): Idle {
  const idle: Idle = { sockets: [], closed: 0, connected: 0, longestMs: 0, settled: async () => undefined };
  let allClosed: () => void = () => undefined;
  const done = new Promise<void>((r) => (allClosed = r));
  for (let i = 0; i < count; i++) {
    const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.50' });
    s.on('error', () => undefined); // a reset is one way of being closed
    // Reads (never writes): a paused socket may never see the gateway's FIN and stays in CLOSE-WAIT.
    s.resume();
    let connectedAt = 0;
    s.once('connect', () => {
      connectedAt = Date.now();
      idle.connected += 1;
    });
    s.once('close', () => {
      if (connectedAt) idle.longestMs = Math.max(idle.longestMs, Date.now() - connectedAt);
      idle.closed += 1;
      if (idle.closed === count) allClosed();
    });
    idle.sockets.push(s);
  }
  idle.settled = (ms) => Promise.race([done, new Promise<void>((r) => setTimeout(r, ms))]);
  return idle;
}

async function healthOk(base: string): Promise<string> {
  try {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    return res.status === 200 ? '' : `HTTP ${res.status}`;
  } catch (err) {
    return `${(err as Error).message} (${String((err as { cause?: Error }).cause?.message ?? '')})`;
  }
}

for (const [label, server] of [
  ['server.limits.maxConnections below the fd limit (300)', { maxConnections: 300 }],
  ['the default server.limits.maxConnections (1024, above the fd limit)', {}],
] as const) {
  describe(`idle sockets under a ${NOFILE}-descriptor limit, ${label}`, () => {
    let gw: CliGateway;
    before(async () => {
      gw = await startCli(
        { name: 'abuse-sockets', server: { limits: { ...server, headersTimeout: `${HEADERS_TIMEOUT_S}s` } }, backends: [CANARY_BACKEND] },
        { nofile: NOFILE },
      );
    });
    after(() => gw?.stop());

    it(`closes ${SOCKETS} silent sockets after headersTimeout and serves /health and new sessions again`, async () => {
      const before = await healthySnapshot(gw, ['canary']);
      const fdsBefore = openFds(gw.pid);
      await using canary = await startCanary(gw.url, CANARY_TOOL);
      const idle = openIdle(Number(new URL(gw.url).port), SOCKETS);
      const started = Date.now();
      await gw.guard(idle.settled(DEADLINE_MS));
      const waited = Date.now() - started;
      const open = SOCKETS - idle.closed;
      idle.sockets.forEach((s) => s.destroy());
      assert.ok(gw.alive(), `the gateway died with ${SOCKETS} idle sockets under a ${NOFILE}-fd limit: ${gw.logs.tail(5)}`);
      assert.equal(
        open,
        0,
        `${open} of ${SOCKETS} sockets that never sent a byte were still open ${waited} ms after the first connect (headersTimeout ${HEADERS_TIMEOUT_S}s; ${SOCKETS - idle.connected} never completed the handshake)`,
      );
      assert.ok(
        idle.longestMs <= PER_SOCKET_MS,
        `a silent socket stayed open ${idle.longestMs} ms after its connect (headersTimeout ${HEADERS_TIMEOUT_S}s)`,
      );
      assert.equal(await healthOk(gw.base), '', 'GET /health once the idle sockets are gone');
      await using fresh = await gw.guard(connectClient(gw.url));
      assert.ok((await fresh.listTools()).tools.length > 0, 'a new session works');
      assertCanary(await canary.stop(), `${SOCKETS} idle sockets`);
      await assertUntouched(gw, before, 'idle client sockets');
      assert.ok(
        openFds(gw.pid) <= fdsBefore + 20,
        `the gateway's fds return to their level: ${fdsBefore} before, ${openFds(gw.pid)} after`,
      );
    });
  });
}
