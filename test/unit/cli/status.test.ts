// `vmcp status`: pure rendering of StatusReport documents, and the command against a tiny local
// HTTP server that serves a fixed report (and against a closed port).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { relativeTime, renderStatus, runStatus, statusUrl } from '../../../src/cli/status.js';
import { visibleLength } from '../../../src/cli/table.js';
import type { BackendStatus, StatusReport } from '../../../src/health/types.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** A backend entry as JSON carries it (an `undefined` override removes the key). */
function backend(over: Partial<BackendStatus> & Pick<BackendStatus, 'name'>): BackendStatus {
  return JSON.parse(
    JSON.stringify({
      health: 'healthy',
      status: 'ready',
      transport: 'stdio',
      authType: 'unauthenticated',
      auth_type: 'unauthenticated',
      mcpRevision: '2025-06-18',
      mcp_revision: '2025-06-18',
      lastCheck: ago(3000),
      consecutiveFailures: 0,
      circuit: 'closed',
      message: 'Healthy',
      tools: 2,
      resources: 0,
      prompts: 0,
      ...over,
    }),
  ) as BackendStatus;
}

function report(over: Partial<StatusReport>): StatusReport {
  return {
    name: 'demo',
    version: '0.1.0',
    phase: 'Ready',
    message: '',
    healthy: true,
    backendCount: 0,
    summary: { total: 0, healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, unauthenticated: 0 },
    conditions: [],
    backends: [],
    timestamp: new Date(NOW).toISOString(),
    group_ref: '',
    ...over,
  };
}

const READY = report({
  message: '1 backend healthy, 1 requires authentication',
  backendCount: 2,
  summary: { total: 2, healthy: 1, degraded: 0, unhealthy: 0, unknown: 0, unauthenticated: 1 },
  conditions: [
    { type: 'Ready', status: 'True', reason: 'AllBackendsRoutable', message: '1 backend healthy, 1 requires authentication' },
    { type: 'BackendsDiscovered', status: 'True', reason: 'BackendsDiscovered', message: 'Discovered 2 backends' },
  ],
  backends: [
    backend({ name: 'echo' }),
    backend({
      name: 'github',
      health: 'unauthenticated',
      status: 'unauthenticated',
      transport: 'streamable-http',
      authType: 'token-exchange',
      mcpRevision: undefined,
      lastCheck: ago(65_000),
      tools: 0,
      message: 'Authentication required: no credentials configured for this backend',
    }),
  ],
});

const FAILED = report({
  phase: 'Failed',
  healthy: false,
  message: 'No routable backends (0 degraded, 1 unhealthy, 0 unknown)',
  summary: { total: 1, healthy: 0, degraded: 0, unhealthy: 1, unknown: 0, unauthenticated: 0 },
  conditions: [{ type: 'Ready', status: 'False', reason: 'NoRoutableBackends', message: 'No routable backends available' }],
  backends: [
    backend({
      name: 'crashy',
      health: 'unhealthy',
      status: 'unavailable',
      consecutiveFailures: 4,
      lastCheck: undefined,
      mcpRevision: undefined,
      message: 'Connection failed (failures: 4)',
      tools: 0,
    }),
  ],
});

const DEGRADED = report({
  phase: 'Degraded',
  message: '1/2 backends routable (0 degraded, 1 unhealthy, 0 unknown)',
  backendCount: 1,
  summary: { total: 2, healthy: 1, degraded: 0, unhealthy: 1, unknown: 0, unauthenticated: 0 },
  conditions: [{ type: 'Ready', status: 'False', reason: 'SomeBackendsUnhealthy', message: '1/2 backends routable' }],
  backends: [
    backend({ name: 'echo', lastCheck: ago(500) }),
    backend({
      name: 'slow-one',
      health: 'unhealthy',
      status: 'unavailable',
      circuit: 'open',
      consecutiveFailures: 5,
      lastCheck: ago(7200_000),
      message: 'Circuit breaker OPEN - Health check timed out (failures: 5)',
      tools: 3,
    }),
  ],
});

/** The start column of every header word in the table's header line, and the table's row lines. */
function table(rendered: string) {
  const lines = strip(rendered).split('\n');
  const start = lines.findIndex((l) => l.startsWith('BACKEND'));
  assert.ok(start >= 0, 'a table header');
  const end = lines.indexOf('', start);
  return { header: lines[start]!, rows: lines.slice(start + 2, end === -1 ? undefined : end) };
}

function assertAligned(rendered: string, cells: Record<string, string>[]) {
  const { header, rows } = table(rendered);
  assert.equal(rows.length, cells.length);
  rows.forEach((row, i) => {
    for (const [column, value] of Object.entries(cells[i]!)) {
      assert.equal(row.slice(header.indexOf(column)).split('  ')[0], value, `row ${i} column ${column}`);
    }
  });
}

describe('renderStatus', () => {
  it('shows a Ready gateway with a healthy and an unauthenticated backend', () => {
    const text = renderStatus(READY, { color: false, now: NOW });
    assert.doesNotMatch(text, /\x1b/, 'no colour when asked for none');
    assert.match(text.split('\n')[0]!, /^demo \(vmcp 0\.1\.0\) {2}Ready {2}1 backend healthy, 1 requires authentication$/);
    for (const h of ['BACKEND', 'STATUS', 'TRANSPORT', 'AUTH', 'MCP', 'CIRCUIT', 'FAILURES', 'LAST CHECK', 'TOOLS', 'MESSAGE']) {
      assert.ok(table(text).header.includes(h), h);
    }
    assertAligned(text, [
      { BACKEND: 'echo', STATUS: 'ready', TRANSPORT: 'stdio', MCP: '2025-06-18', 'LAST CHECK': '3s ago', TOOLS: '2' },
      { BACKEND: 'github', STATUS: 'unauthenticated', AUTH: 'token-exchange', MCP: '-', 'LAST CHECK': '1m ago', TOOLS: '0' },
    ]);
    assert.match(text, /no credentials configured for this backend/);
    assert.match(text, /Conditions:\nTYPE +STATUS +REASON +MESSAGE\n/);
    assert.match(text, /Ready +True +AllBackendsRoutable/);
  });

  it('colours phase and states without breaking the columns', () => {
    const plain = renderStatus(DEGRADED, { color: false, now: NOW });
    const coloured = renderStatus(DEGRADED, { color: true, now: NOW });
    assert.notEqual(coloured, plain);
    assert.equal(strip(coloured), plain, 'colour adds escape codes only');
    assert.match(coloured, /\x1b\[33mDegraded\x1b\[0m/);
    assert.match(coloured, /\x1b\[32mready\x1b\[0m/);
    assert.match(coloured, /\x1b\[31munavailable\x1b\[0m/);
    assert.match(coloured, /\x1b\[31mopen\x1b\[0m/);
    const row = coloured.split('\n').find((l) => l.startsWith('slow-one'))!;
    const header = coloured.split('\n').find((l) => l.startsWith('BACKEND'))!;
    assert.equal(visibleLength(row.slice(0, row.indexOf('stdio'))), header.indexOf('TRANSPORT'));
    assertAligned(coloured, [
      { STATUS: 'ready', CIRCUIT: 'closed', FAILURES: '0', 'LAST CHECK': 'just now' },
      { STATUS: 'unavailable', CIRCUIT: 'open', FAILURES: '5', 'LAST CHECK': '2h ago', TOOLS: '3' },
    ]);
    assert.match(plain, /Circuit breaker OPEN - Health check timed out \(failures: 5\)/);
  });

  it('shows a Failed gateway in red', () => {
    const text = renderStatus(FAILED, { color: true, now: NOW });
    assert.match(text, /\x1b\[31mFailed\x1b\[0m {2}No routable backends/);
    assertAligned(text, [{ BACKEND: 'crashy', STATUS: 'unavailable', FAILURES: '4', 'LAST CHECK': 'never' }]);
    assert.match(strip(text), /Ready +False +NoRoutableBackends +No routable backends available/);
  });

  it('shows why a backend is down, as the start-up table does', () => {
    const down = { ...FAILED, backends: [{ ...FAILED.backends[0]!, reason: 'spawn ./server ENOENT' }] };
    assert.match(strip(renderStatus(down, { color: false, now: NOW })), /Connection failed \(failures: 4\) \(spawn \.\/server ENOENT\)/);
  });

  it('says when no backends are configured and strips control characters from the network', () => {
    const text = renderStatus(report({ name: 'x\x1b[2Jy', message: 'Ready, no backends configured' }), { color: false, now: NOW });
    assert.match(text, /No backends configured\./);
    assert.doesNotMatch(text, /\x1b/);
  });

  it('formats relative times', () => {
    assert.equal(relativeTime(undefined, NOW), 'never');
    assert.equal(relativeTime(ago(-5000), NOW), 'just now');
    assert.equal(relativeTime(ago(59_999), NOW), '59s ago');
    assert.equal(relativeTime(ago(3 * 86_400_000), NOW), '3d ago');
    assert.equal(relativeTime('garbage', NOW), '-');
  });

  it('derives the status URL from a base or /mcp URL', () => {
    assert.equal(statusUrl('http://127.0.0.1:4483'), 'http://127.0.0.1:4483/status');
    assert.equal(statusUrl('http://127.0.0.1:4483/mcp'), 'http://127.0.0.1:4483/status');
    assert.equal(statusUrl('http://h:1/prefix/mcp/?x=1'), 'http://h:1/prefix/status');
    assert.equal(statusUrl('localhost:9000'), 'http://localhost:9000/status');
    assert.throws(() => statusUrl('ftp://h/'), /http/);
  });
});

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, env: {} };
  return { out, io };
}

/** A local server answering GET /status with `doc`; AsyncDisposable. */
async function statusServer(doc: StatusReport) {
  const body = JSON.stringify(doc);
  const server = http.createServer((req, res) => {
    if (req.url !== '/status') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('runStatus', () => {
  it('exits 0 for Ready, accepting the /mcp URL', async () => {
    await using srv = await statusServer(READY);
    const { out, io } = capture();
    assert.equal(await runStatus(['--url', `${srv.base}/mcp`], io, { now: () => NOW }), 0);
    assert.match(out.stdout, /^demo \(vmcp 0\.1\.0\) {2}Ready/);
    assert.match(out.stdout, /github +unauthenticated/);
    assert.doesNotMatch(out.stdout, /\x1b/, 'not a TTY: no colour');
    assert.equal(out.stderr, '');
  });

  it('exits 0 for Degraded, 1 for Failed and for Pending', async () => {
    for (const [doc, code] of [
      [DEGRADED, 0],
      [FAILED, 1],
      [report({ phase: 'Pending', backends: [] }), 1],
    ] as const) {
      await using srv = await statusServer(doc);
      assert.equal(await runStatus(['--url', srv.base], capture().io), code, doc.phase);
    }
  });

  it('--json prints the document', async () => {
    await using srv = await statusServer(FAILED);
    const { out, io } = capture();
    assert.equal(await runStatus(['--json', `--url=${srv.base}`], io), 1);
    assert.deepEqual(JSON.parse(out.stdout), FAILED);
  });

  it('exits 3 naming the URL when the gateway cannot be reached', async () => {
    const srv = await statusServer(READY);
    const closedUrl = srv.base;
    await srv[Symbol.asyncDispose]();
    const { out, io } = capture();
    assert.equal(await runStatus(['--url', closedUrl], io), 3);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, new RegExp(`cannot reach vmcp at ${closedUrl}/status: .*ECONNREFUSED`));
  });

  it('exits 3 when the answer is not a status document', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nope</h1>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { out, io } = capture();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal(await runStatus(['--url', url], io), 3);
      assert.match(out.stderr, /answered HTTP 404 without a status document/);
    } finally {
      server.close();
    }
  });

  it('--watch redraws until stopped, then exits 0', async () => {
    await using srv = await statusServer(FAILED);
    const { out, io } = capture();
    const stop = new AbortController();
    const running = runStatus(['--watch', '--interval', '100ms', '--url', srv.base], io, { signal: stop.signal, tty: false });
    await new Promise((r) => setTimeout(r, 350));
    stop.abort();
    assert.equal(await running, 0, 'exit 0 even though the phase is Failed');
    const frames = out.stdout.split(/^-{72}$/m);
    assert.ok(frames.length >= 2, `several frames (got ${frames.length})`);
    assert.match(frames[0]!, /^Every 100ms: http:\/\/127\.0\.0\.1:\d+\/status/);
    assert.doesNotMatch(out.stdout, /\x1b\[2J/, 'no screen clearing when not a TTY');
  });

  it('rejects bad arguments with exit 2', async () => {
    for (const args of [['--frob'], ['--interval', 'soon'], ['--url', 'ftp://x'], ['extra']]) {
      const { out, io } = capture();
      assert.equal(await runStatus(args, io), 2, args.join(' '));
      assert.match(out.stderr, /^vmcp status: .*\nusage: vmcp status/);
    }
  });
});
