import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../../src/cli/validate.js';
import { yaml } from './helpers.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], cwd?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    ...(cwd ? { cwd } : {}),
  };
  const code = await runValidate(args, io);
  return { code, stdout, stderr };
}

async function withFile(text: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-validate-'));
  try {
    await writeFile(join(dir, 'vmcp.yaml'), text);
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const valid = 'name: x\nbackends:\n  - {name: a, transport: stdio, command: node}\n';
const withWarning = `${valid}server:\n  host: 0.0.0.0\nincomingAuth:\n  allowRemoteAnonymous: true\n`;
const invalid = yaml`
  name: x
  backends:
    - name: a
      transport: stdio
      command: node
      colour: blue
  server:
    host: 0.0.0.0
  incomingAuth:
    allowRemoteAnonymous: true
`;

test('valid file: exit 0 and a summary line', async () => {
  await withFile(valid, async (dir) => {
    const r = await run(['vmcp.yaml'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'vmcp.yaml: valid\n');
    assert.equal(r.stderr, '');
  });
});

test('warnings alone: exit 0, each printed as FILE:LINE:COL  path  warning: message', async () => {
  await withFile(withWarning, async (dir) => {
    const r = await run(['vmcp.yaml'], dir);
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^vmcp\.yaml:5:9 {2}server\.host {2}warning: listening on a non-loopback address/);
    assert.equal(lines.at(-1), 'vmcp.yaml: valid (1 warning)');
  });
});

test('invalid file: exit 2, every issue as FILE:LINE:COL  path  message, then a summary', async () => {
  await withFile(invalid, async (dir) => {
    const r = await run(['vmcp.yaml'], dir);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      'vmcp.yaml:6:5  backends[0].colour  unknown key "colour"',
      'vmcp.yaml:8:9  server.host  warning: listening on a non-loopback address: every client that can reach it can use every backend (default 127.0.0.1)',
      'vmcp.yaml: invalid (1 error, 1 warning)',
    ]);
  });
});

test('--json prints the issues as JSON', async () => {
  await withFile(invalid, async (dir) => {
    const r = await run(['--json', 'vmcp.yaml'], dir);
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as { valid: boolean; errors: number; warnings: number; issues: unknown[] };
    assert.equal(report.valid, false);
    assert.equal(report.errors, 1);
    assert.equal(report.warnings, 1);
    assert.deepEqual(report.issues[0], {
      path: 'backends[0].colour',
      line: 6,
      column: 5,
      message: 'unknown key "colour"',
      severity: 'error',
    });
  });
});

test('missing FILE argument: exit 2 with usage on stderr', async () => {
  const r = await run([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing FILE\nusage: vmcp validate \[--json\] FILE/);
  assert.equal(r.stdout, '');
});

test('unreadable FILE: exit 2 with usage on stderr', async () => {
  const r = await run(['/nonexistent/dir/vmcp.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read \/nonexistent\/dir\/vmcp\.yaml: ENOENT\nusage:/);
});

test('unknown option: exit 2 with usage', async () => {
  const r = await run(['--yaml', 'x.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option --yaml/);
});

test('--help: exit 0 with usage on stdout', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: vmcp validate/);
});
