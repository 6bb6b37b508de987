// The audit log through the front door: a real gateway with API-key principals, a Cedar policy and
// server-everything; allowed, denied, unauthenticated and failing calls each leave one event with
// the right outcome and subjects; no secret used in the run appears in the file; SIGHUP after a
// rename (what logrotate does) starts a new file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, EVERYTHING, startGateway, stdioBackend, waitFor, type TestGateway } from '../helpers/gateway.js';
import { auditEvents } from '../helpers/audit-log.js';

const ALICE = 'alice-key-7f3a9c1e5b';
const BOB = 'bob-key-2d8e4f6a0c';
const WRONG = 'wrong-key-9b1c3e5d7f';
const ARG_SECRET = 'sk-live-argument-0a1b2c3d';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const POLICY = 'permit(principal == Client::"alice", action, resource);';

describe('audit log', () => {
  let dir: string;
  let file: string;
  let gw: TestGateway;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmcp-audit-'));
    file = join(dir, 'audit.log');
    gw = await startGateway({
      name: 'audited',
      incomingAuth: {
        type: 'anonymous',
        apiKeys: [
          { name: 'alice', sha256: sha(ALICE) },
          { name: 'bob', sha256: sha(BOB) },
        ],
        authz: { type: 'cedar', policies: [POLICY] },
      },
      audit: { component: 'audit-test', logFile: file, includeRequestData: true, includeResponseData: true, maxDataSize: 4096 },
      backends: [stdioBackend('everything', EVERYTHING, ['stdio'])],
    });
  });

  after(async () => {
    await gw?.close();
    if (!process.env.KEEP_AUDIT) await rm(dir, { recursive: true, force: true });
    else console.log('AUDIT_DIR', dir);
  });

  it('records allowed, denied, unauthenticated and failing calls with outcome and subjects', async () => {
    await using alice = await connectClient(gw.url, { name: 'alice-client', headers: { 'x-api-key': ALICE } });
    await alice.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'hello', apiKey: ARG_SECRET } } });
    const failing = await alice
      .request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 42 } } })
      .catch((e: unknown) => e);
    assert.ok(failing, 'the bad call answered');
    await using bob = await connectClient(gw.url, { headers: { 'x-api-key': BOB } });
    await assert.rejects(
      bob.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'x' } } }),
      /Forbidden/,
    );
    await assert.rejects(connectClient(gw.url, { headers: { 'x-api-key': WRONG } }), /401|Unauthorized|invalid/i);
    await using modern = await connectClient(gw.url, { era: '2026-07-28', headers: { 'x-api-key': ALICE } });
    await modern.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'modern' } } });

    const events = await waitFor(async () => {
      const all = await auditEvents(file);
      return all.some((e) => e.type === 'http_request') && all.filter((e) => e.type === 'mcp_tool_call').length >= 4 ? all : undefined;
    }, 'audit events');
    const calls = events.filter((e) => e.type === 'mcp_tool_call');
    const [ok, bad, denied, fresh] = calls;
    assert.equal(ok?.source.value, '127.0.0.1');
    assert.equal(fresh?.outcome, 'success');
    assert.equal(fresh?.metadata.extra?.['mcp_version'], '2026-07-28');
    assert.equal(fresh?.source.value, '127.0.0.1');
    assert.equal(fresh?.subjects.user_id, 'alice');
    assert.equal(ok?.outcome, 'success');
    assert.deepEqual(
      { user: ok?.subjects.user, id: ok?.subjects.user_id, client: ok?.subjects.client_name },
      { user: 'alice', id: 'alice', client: 'alice-client' },
    );
    assert.equal(ok?.component, 'audit-test');
    assert.equal(ok?.target?.backend, 'everything');
    assert.equal(ok?.target?.backend_name, 'echo');
    assert.equal(ok?.target?.name, 'everything_echo');
    assert.match(JSON.stringify(ok?.data?.request), /\[REDACTED\]/);
    assert.match(JSON.stringify(ok?.data?.response), /hello/);
    assert.equal(bad?.outcome, 'application_error', JSON.stringify(bad));
    assert.equal(denied?.outcome, 'denied');
    assert.equal(denied?.subjects.user_id, 'bob');
    assert.equal(denied?.metadata.extra?.['error_code'], 'VMCP_FORBIDDEN');
    const refused = events.find((e) => e.type === 'http_request');
    assert.equal(refused?.outcome, 'denied');
    assert.equal(refused?.subjects.user, 'anonymous');
    assert.equal(refused?.metadata.extra?.['status'], 401);
    assert.equal(refused?.source.value, '127.0.0.1');
    assert.ok(events.every((e) => typeof e.metadata.auditId === 'string' && e.metadata.auditId.length > 0));
  });

  it('starts a new file on SIGHUP after a rename, and never writes a secret', async () => {
    const rotated = `${file}.1`;
    await waitFor(async () => (await auditEvents(file)).length > 0, 'the first events');
    await rename(file, rotated);
    process.kill(process.pid, 'SIGHUP');
    await using alice = await connectClient(gw.url, { headers: { 'x-api-key': ALICE } });
    await alice.request({ method: 'tools/call', params: { name: 'everything_echo', arguments: { message: 'after rotation' } } });
    const fresh = await waitFor(async () => {
      const events = await auditEvents(file);
      return events.some((e) => JSON.stringify(e.data).includes('after rotation')) ? events : undefined;
    }, 'an event in the new file');
    assert.ok(fresh.length >= 1);
    assert.ok(!(await readFile(rotated, 'utf8')).includes('after rotation'), 'the old file got no new events');
    const all = (await readFile(rotated, 'utf8')) + (await readFile(file, 'utf8'));
    for (const secret of [ALICE, BOB, WRONG, ARG_SECRET])
      assert.ok(!all.includes(secret), `secret ${secret.slice(0, 5)}… in the audit log`);
  });
});
