import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../../src/cli/init.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import { dump } from './helpers.js';

const SCHEMA = fileURLToPath(new URL('../../../schema/vmcp-config.schema.json', import.meta.url));

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd };
  return { code: await runInit(args, io), stdout, stderr };
}

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-init-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('init writes vmcp.yaml that validates with no issues at all', async () => {
  await inTempDir(async (dir) => {
    const r = await run([], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote vmcp\.yaml\n/);
    const { config, issues } = await loadConfigFile(join(dir, 'vmcp.yaml'), {});
    assert.deepEqual(issues, [], dump(issues));
    assert.ok(config);
    assert.equal(config.backends.length, 1);
  });
});

test('the schema reference in the written file points at the shipped schema', async () => {
  await inTempDir(async (dir) => {
    await run(['sub.yaml'], dir);
    const first = (await readFile(join(dir, 'sub.yaml'), 'utf8')).split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
    assert.ok(match?.[1], first);
    assert.equal(resolve(dir, match[1]), SCHEMA);
  });
});

test('init refuses to overwrite an existing file unless --force', async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, 'vmcp.yaml');
    await writeFile(file, 'keep me\n');
    const refused = await run(['vmcp.yaml'], dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /file exists \(use --force to overwrite\)/);
    assert.equal(await readFile(file, 'utf8'), 'keep me\n');
    const forced = await run(['--force', 'vmcp.yaml'], dir);
    assert.equal(forced.code, 0);
    assert.match(await readFile(file, 'utf8'), /^# yaml-language-server/);
  });
});

test('init - writes the starter config to stdout, and it validates', async () => {
  await inTempDir(async (dir) => {
    const r = await run(['-'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^# yaml-language-server: \$schema=/);
    const { config, issues } = loadConfigText(r.stdout, { env: {} });
    assert.deepEqual(issues, [], dump(issues));
    assert.equal(config?.name, 'my-vmcp');
  });
});

test('init: bad arguments exit 2 with usage', async () => {
  await inTempDir(async (dir) => {
    const r = await run(['a.yaml', 'b.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: vmcp init/);
  });
});
