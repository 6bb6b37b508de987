import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import { VERSION } from '../../../src/app/version.js';

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, env: {} } };
}

describe('vmcp CLI', () => {
  it('prints the version', async () => {
    const { out, io: cli } = io();
    assert.equal(await main(['version'], cli), 0);
    assert.equal(out.stdout, `vmcp ${VERSION}\n`);
  });

  it('lists every command in --help', async () => {
    const { out, io: cli } = io();
    assert.equal(await main(['--help'], cli), 0);
    for (const cmd of ['serve', 'validate', 'init', 'version']) assert.match(out.stdout, new RegExp(`\\b${cmd}\\b`));
    assert.match(out.stdout, /--stdio/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const { out, io: cli } = io();
    assert.equal(await main(['frobnicate'], cli), 2);
    assert.match(out.stderr, /unknown command "frobnicate"/);
  });

  it('shows serve usage with serve --help and rejects a bad port', async () => {
    const { out, io: cli } = io();
    assert.equal(await main(['serve', '--help'], cli), 0);
    assert.match(out.stdout, /--config/);
    const bad = io();
    assert.equal(await main(['serve', '--port', 'abc'], bad.io), 2);
    assert.match(bad.out.stderr, /--port must be an integer/);
  });
});

describe('vmcp validate with Cedar policies', () => {
  it('reports a policy syntax error with the policy file and line, exit 2', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'vmcp-authz-'));
    writeFileSync(join(dir, 'bad.cedar'), 'permit(principal, action, resource);\n\nforbid(principal action, resource);\n');
    writeFileSync(
      join(dir, 'vmcp.yaml'),
      'name: t\nbackends: []\nincomingAuth:\n  type: anonymous\n  authz:\n    type: cedar\n    policyFiles: [bad.cedar]\n',
    );
    const { out, io: cli } = io();
    assert.equal(await main(['validate', join(dir, 'vmcp.yaml')], cli), 2);
    assert.match(out.stdout, /bad\.cedar:3:\d+/);
    writeFileSync(join(dir, 'bad.cedar'), 'permit(principal in Group::"admins", action, resource);\n');
    const ok = io();
    assert.equal(await main(['validate', join(dir, 'vmcp.yaml')], ok.io), 0, ok.out.stdout);
  });

  it('refuses `serve --host 0.0.0.0` for an anonymous gateway', async () => {
    const { out, io: cli } = io();
    assert.equal(await main(['serve', '--host', '0.0.0.0', '--port', '0'], cli), 2);
    assert.match(out.stderr, /not a loopback address and incomingAuth is anonymous/);
  });
});
