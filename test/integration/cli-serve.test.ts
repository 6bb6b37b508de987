// `vmcp serve` as a user runs it: a real child process, its banner, both client transports
// (Streamable HTTP and --stdio), and a graceful SIGTERM that lets in-flight calls finish and
// leaves no orphan backend processes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { connectClient, descendants, FIXTURES, isAlive, ROOT, text, waitFor } from '../helpers/gateway.js';

const CLI = join(ROOT, 'src/cli/run.ts');

function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmcp-cli-'));
  const file = join(dir, 'vmcp.yaml');
  writeFileSync(file, yaml);
  return file;
}

const CONFIG = `name: cli-test
backends:
  - name: slow
    transport: stdio
    command: node
    args: [${FIXTURES}/slow.mjs]
`;

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('vmcp serve (process)', () => {
  it('prints the URL and a backend table, and on SIGTERM finishes in-flight calls, exits 0 and leaves no orphans', async () => {
    const cli = startCli(['serve', '--config', writeConfig(CONFIG), '--port', '0', '--log-level', 'warn']);
    try {
      const url = await waitFor(() => /listening on (\S+)/.exec(cli.out())?.[1], 'the URL banner', 20_000);
      // The banner is one write, but a pipe may still hand it over in pieces: wait for the table.
      await waitFor(() => /slow\s+stdio\s+ready\s+1\s+0\s+0/.test(cli.out()) || undefined, 'the backend table');
      assert.match(cli.out(), /BACKEND\s+TRANSPORT\s+STATE\s+TOOLS\s+RESOURCES\s+PROMPTS/);
      const backendPid = await waitFor(() => descendants('slow.mjs', cli.child.pid)[0], 'the backend process');

      const client = await connectClient(url);
      const inflight = client.request({ method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 800 } } });
      await new Promise((r) => setTimeout(r, 200));
      cli.child.kill('SIGTERM');
      assert.equal(text((await inflight) as never), 'slept 800ms', 'the in-flight call completes during shutdown');
      assert.equal(await cli.exited, 0);
      assert.match(cli.out(), /SIGTERM, shutting down/);
      assert.ok(!isAlive(backendPid), 'the backend process was ended');
      await client.close().catch(() => undefined);
    } finally {
      // A failed assertion must not leave the gateway running (the file would hang until its timeout).
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    }
  });

  it('serves one client over stdio with --stdio (logs on stderr, protocol on stdout)', async () => {
    const client = new Client({ name: 'stdio-test', version: '1' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', CLI, 'serve', '--stdio', '--config', writeConfig(CONFIG)],
      cwd: ROOT,
      stderr: 'pipe',
    });
    await client.connect(transport);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['slow_sleep'],
    );
    const r = await client.request({ method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 10 } } });
    assert.equal(text(r as never), 'slept 10ms');
    const pid = transport.pid!;
    await client.close();
    await waitFor(() => !isAlive(pid), 'the gateway exits when stdin closes');
  });

  it('exits 2 with every config problem listed when the config is invalid', async () => {
    const cli = startCli(['serve', '--config', writeConfig('name: x\nbackends:\n  - name: "bad name"\n    transport: pigeon\nbogus: 1\n')]);
    assert.equal(await cli.exited, 2);
    assert.match(cli.err(), /vmcp\.yaml:4:\d+ {2}backends\[0\]\.transport/);
    assert.match(cli.err(), /bogus/);
  });
});
