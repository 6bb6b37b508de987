// `vmcp serve` reloads its config on SIGHUP as a real process: the backend added to the file is
// served to the client already connected, and an invalid edit is printed with file and line and
// refused while the running config keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, FIXTURES, ROOT, text, waitFor } from '../helpers/gateway.js';

const backend = (name: string) => `  - name: ${name}\n    transport: stdio\n    command: node\n    args: [${FIXTURES}/echo.mjs]\n`;

test('vmcp serve: SIGHUP applies a valid edit and refuses an invalid one with its line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmcp-hup-'));
  const file = join(dir, 'vmcp.yaml');
  writeFileSync(file, `name: hup\nbackends:\n${backend('one')}`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'serve', '-c', file, '-p', '0', '--log-level', 'silent'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const url = await waitFor(() => /listening on (\S+)/.exec(out)?.[1], 'the URL banner', 20_000);
    await using client = await connectClient(url);
    writeFileSync(file, `name: hup\nbackends:\n${backend('one')}${backend('two')}`);
    child.kill('SIGHUP');
    await waitFor(() => /reloaded: added two/.test(out), 'the reload line', 20_000);
    assert.equal(text(await client.callTool({ name: 'two_echo', arguments: { message: 'hi' } })), 'hi');

    writeFileSync(file, `name: hup\nbackends:\n${backend('one')}  - name: three\n    transport: nonsense\n`);
    child.kill('SIGHUP');
    await waitFor(() => /refused, the running config keeps serving/.test(out), 'the refusal', 20_000);
    assert.match(err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:\\d+`), `the issue names file and line: ${err}`);
    assert.equal(text(await client.callTool({ name: 'two_echo', arguments: { message: 'still' } })), 'still');
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
