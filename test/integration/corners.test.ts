// Corners of the protocol surface, through the front door: logging/setLevel fanned out to every
// backend that logs, with each session's own level deciding what reaches it; prompts and resources
// list_changed from a backend to clients of both eras, the new entries listed and usable;
// protocolVersion "auto" probing a 2025-era and a 2026-07-28 backend; a session used with
// another identity's token (403); and the periodic status log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import { subscribeLogger } from '../../src/app/logger.js';
import { startOidc, type OidcServer } from '../helpers/oidc.js';
import {
  connectClient,
  FIXTURES,
  freePort,
  spawnFixture,
  startGateway,
  stdioBackend,
  text,
  waitFor,
  type Fixture,
  type TestGateway,
} from '../helpers/gateway.js';

const LISTS = `${FIXTURES}/lists-and-levels.mjs`;
const ORDER = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
const callText = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  text((await client.request({ method: 'tools/call', params: { name, arguments: args } })) as never);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The levels of the log messages a client receives, in order. */
function logLevels(client: Client): string[] {
  const seen: string[] = [];
  client.setNotificationHandler('notifications/message', (n) => void seen.push(String(n.params.level)));
  return seen;
}

describe('logging/setLevel', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      name: 'levels',
      backends: [
        stdioBackend('a', LISTS, ['--name', 'a']),
        stdioBackend('b', LISTS, ['--name', 'b']),
        stdioBackend('echo', `${FIXTURES}/echo.mjs`),
      ],
    });
  });
  after(() => gw?.close());

  it('reaches every backend that logs; each session gets the messages at or above its own level', async () => {
    await using quiet = await connectClient(gw.url, { name: 'quiet' });
    await using chatty = await connectClient(gw.url, { name: 'chatty' });
    const quietSeen = logLevels(quiet);
    const chattySeen = logLevels(chatty);

    await quiet.request({ method: 'logging/setLevel', params: { level: 'warning' } });
    assert.equal(await callText(quiet, 'a_levels'), '["warning"]', 'backend a was told');
    assert.equal(await callText(quiet, 'b_levels'), '["warning"]', 'backend b was told');
    assert.equal(await callText(quiet, 'echo_echo', { message: 'still fine' }), 'still fine', 'a backend without logging is left alone');

    await chatty.request({ method: 'logging/setLevel', params: { level: 'debug' } });
    assert.equal(await callText(chatty, 'a_levels'), '["warning","debug"]');
    assert.equal(await callText(chatty, 'b_levels'), '["warning","debug"]');

    // The backends now log everything; each client still gets only what its session asked for.
    assert.equal(await callText(quiet, 'a_log'), 'logged');
    assert.equal(await callText(chatty, 'b_log'), 'logged');
    await waitFor(() => quietSeen.length >= 5 && chattySeen.length >= 8, 'the log messages');
    await sleep(100);
    assert.deepEqual(quietSeen, ORDER.slice(ORDER.indexOf('warning')));
    assert.deepEqual(chattySeen, ORDER);

    await assert.rejects(quiet.request({ method: 'logging/setLevel', params: { level: 'loud' } }), /level/);
    assert.equal(await callText(quiet, 'a_levels'), '["warning","debug"]', 'a bad level reaches no backend');
  });
  it('a 2026-07-28 request carries its own level: messages at or above it, none without one', async () => {
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    const seen = logLevels(modern);
    const log = (meta?: Record<string, unknown>) =>
      modern.request({ method: 'tools/call', params: { name: 'a_log', arguments: {}, ...(meta ? { _meta: meta } : {}) } });
    await log({ 'io.modelcontextprotocol/logLevel': 'error' });
    await waitFor(() => seen.length >= 4, 'the log messages at error and above');
    await log();
    await sleep(100);
    assert.deepEqual(seen, ORDER.slice(ORDER.indexOf('error')));
  });
});

describe('prompts and resources list_changed', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ name: 'lists', backends: [stdioBackend('lists', LISTS, ['--name', 'lists'])] });
  });
  after(() => gw?.close());

  it("a backend's change reaches clients of both eras as the notification, and the new entry is listed and usable", async () => {
    await using legacy = await connectClient(gw.url, { era: 'legacy' });
    await using modern = await connectClient(gw.url, { era: '2026-07-28' });
    const told: string[] = [];
    for (const [client, era] of [
      [legacy, '2025'],
      [modern, '2026'],
    ] as const) {
      client.setNotificationHandler('notifications/prompts/list_changed', () => void told.push(`${era}:prompts`));
      client.setNotificationHandler('notifications/resources/list_changed', () => void told.push(`${era}:resources`));
    }
    const listening = await modern.listen({ promptsListChanged: true, resourcesListChanged: true });
    try {
      const promptNames = async (c: Client) => (await c.listPrompts()).prompts.map((p) => p.name);
      const uris = async (c: Client) => (await c.listResources()).resources.map((r) => r.uri);
      assert.deepEqual(await promptNames(legacy), ['lists_first']);
      assert.deepEqual(await uris(legacy), ['fixture://first']);

      assert.equal(await callText(legacy, 'lists_add_prompt', { name: 'late' }), 'added prompt late');
      await waitFor(() => told.includes('2025:prompts') && told.includes('2026:prompts'), 'prompts/list_changed at both clients');
      for (const c of [legacy, modern]) assert.deepEqual((await promptNames(c)).sort(), ['lists_first', 'lists_late']);
      const got = await legacy.getPrompt({ name: 'lists_late' });
      assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'prompt late' });

      assert.equal(await callText(modern, 'lists_add_resource', { name: 'late' }), 'added resource late');
      await waitFor(() => told.includes('2025:resources') && told.includes('2026:resources'), 'resources/list_changed at both clients');
      for (const c of [legacy, modern]) assert.deepEqual((await uris(c)).sort(), ['fixture://first', 'fixture://late']);
      const read = await modern.readResource({ uri: 'fixture://late' });
      assert.equal((read.contents[0] as { text?: string }).text, 'resource fixture://late');
      assert.ok(!told.some((t) => t.endsWith(':tools')), 'no other list changed');
    } finally {
      await listening.close();
    }
  });
});

describe('protocolVersion: auto', () => {
  const fixtures: Fixture[] = [];
  after(() => Promise.all(fixtures.map((f) => f.close())));

  it('probes each backend and speaks the revision it answers: 2026-07-28 or the 2025 era', async () => {
    const [modern, legacy] = await Promise.all([
      spawnFixture(`${FIXTURES}/modern-backend.mjs`, ['--name', 'modern']),
      spawnFixture(LISTS, ['--transport', 'streamable-http', '--name', 'legacy']),
    ]);
    fixtures.push(modern, legacy);
    await using gw = await startGateway({
      name: 'auto',
      backends: [
        { name: 'modern', transport: 'streamable-http', url: modern.url, protocolVersion: 'auto' },
        { name: 'legacy', transport: 'streamable-http', url: legacy.url, protocolVersion: 'auto' },
        stdioBackend('stdio', LISTS, ['--name', 'stdio'], { protocolVersion: 'auto' }),
      ],
    });
    const revision = (name: string) => gw.connectors.find((c) => c.name === name)?.info?.protocolVersion;
    assert.equal(revision('modern'), '2026-07-28');
    assert.match(String(revision('legacy')), /^2025-/);
    assert.match(String(revision('stdio')), /^2025-/);
    const status = (await (await fetch(new URL('/status', gw.url))).json()) as { backends: { name: string; mcpRevision?: string }[] };
    assert.deepEqual(Object.fromEntries(status.backends.map((b) => [b.name, b.mcpRevision])), {
      modern: '2026-07-28',
      legacy: revision('legacy'),
      stdio: revision('stdio'),
    });
    for (const era of ['legacy', '2026-07-28'] as const) {
      await using client = await connectClient(gw.url, { era });
      assert.equal(await callText(client, 'modern_echo', { message: `via ${era}` }), `via ${era}`);
      assert.equal(await callText(client, 'legacy_levels'), '[]');
      assert.equal(await callText(client, 'stdio_levels'), '[]');
    }
  });
});

describe('a session and its identity', () => {
  let idp: OidcServer;
  let gw: TestGateway;
  let audience: string;
  const token = (sub: string) => idp.mintAccessToken({ sub, aud: audience, scope: 'mcp:tools' });
  before(async () => {
    idp = await startOidc();
    const port = await freePort();
    audience = `http://127.0.0.1:${port}/mcp`;
    gw = await startGateway({
      name: 'owned',
      server: { port },
      incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience, scopes: ['mcp:tools'] } },
      backends: [stdioBackend('echo', `${FIXTURES}/echo.mjs`)],
    });
  });
  after(async () => {
    await gw?.close();
    await idp?.[Symbol.asyncDispose]();
  });

  it("is refused (403) to another identity's token on every verb, and stays its owner's, across a token refresh", async () => {
    const post = (bearer: string, body: object, session?: string) =>
      fetch(audience, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          ...(session ? { 'mcp-session-id': session } : {}),
        },
        body: JSON.stringify(body),
      });
    const init = await post(await token('alice'), {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    assert.equal(init.status, 200);
    const session = init.headers.get('mcp-session-id');
    assert.ok(session, 'a session id');
    await init.text();
    const initialized = await post(await token('alice'), { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    assert.equal(initialized.status, 202);

    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const bob = await token('bob');
    const stolen = await post(bob, list, session);
    assert.equal(stolen.status, 403);
    const body = (await stolen.json()) as { error?: { message?: string; data?: { code?: string } } };
    assert.match(String(body.error?.message), /this session belongs to another identity/);
    assert.equal(body.error?.data?.code, 'VMCP_SESSION_FORBIDDEN');
    assert.ok(!JSON.stringify(body).includes(bob), 'the token is not echoed');
    const headers = { authorization: `Bearer ${bob}`, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const stream = await fetch(audience, { headers: { ...headers, accept: 'text/event-stream' } });
    assert.equal(stream.status, 403, 'the GET stream too');
    await stream.body?.cancel();
    const closed = await fetch(audience, { method: 'DELETE', headers });
    assert.equal(closed.status, 403, 'nor may another identity end it');
    await closed.body?.cancel();

    // A fresh token of the same subject (a refresh) is the same owner: the session still works.
    const own = await post(await token('alice'), list, session);
    assert.equal(own.status, 200);
    assert.match(await own.text(), /echo_echo/);
  });
});

describe('the periodic status log', () => {
  it('logs the status every statusReportingInterval (debug) and a phase change at once (info)', async () => {
    const out = new PassThrough();
    let logged = '';
    out.on('data', (d: Buffer) => void (logged += d.toString()));
    const logger = subscribeLogger('debug', 'json', out);
    const backend = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http']);
    try {
      await using _gateway = await startGateway({
        name: 'reporting',
        operational: { failureHandling: { statusReportingInterval: '150ms', healthCheckInterval: '500ms', healthCheckTimeout: '400ms' } },
        backends: [stdioBackend('steady', `${FIXTURES}/echo.mjs`), { name: 'leaving', transport: 'streamable-http', url: backend.url }],
      });
      type Line = { level: number; msg: string; phase?: string; from?: string; routable?: number };
      const lines = () =>
        logged
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line)
          .filter((l) => l.msg.startsWith('status '));
      const periodic = await waitFor(() => {
        const ready = lines().filter((l) => l.phase === 'Ready' && l.level === 20);
        return ready.length >= 3 ? ready : undefined;
      }, 'three periodic status lines');
      assert.ok(
        periodic.every((l) => l.routable === 2 && /^status Ready: All 2 backends/.test(l.msg)),
        JSON.stringify(periodic),
      );
      assert.ok(
        lines().some((l) => l.level === 30 && l.phase === 'Ready'),
        'the first report (a phase change) at info',
      );

      await backend.close();
      const change = await waitFor(() => lines().find((l) => l.phase !== 'Ready'), 'a phase change');
      assert.equal(change.level, 30, JSON.stringify(change));
      assert.equal(change.from, 'Ready');
      assert.equal(change.phase, 'Degraded');
      assert.equal(change.routable, 1);
      await waitFor(() => lines().filter((l) => l.phase === 'Degraded' && l.level === 20).length >= 2, 'periodic lines in the new phase');
      assert.equal(lines().filter((l) => l.level === 30 && l.phase === 'Degraded').length, 1, 'the change is logged once at info');
    } finally {
      logger.close();
      await backend.close();
    }
  });
});
