// `vmcp workflow run` against a real MCP server (SDK, Streamable HTTP, loopback) that runs the
// composite tools of cli-demo.yaml with the real engine; and `vmcp validate` printing the DAG.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runWorkflowCommand } from '../../../src/cli/workflow.js';
import { runValidate } from '../../../src/cli/validate.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/composite/', import.meta.url));

async function run(fn: typeof runWorkflowCommand, args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
  const code = await fn(args, io);
  return { code, stdout, stderr };
}

let server: ChildProcess;
let url = '';

before(async () => {
  server = spawn(process.execPath, ['--import', 'tsx', `${FIXTURES}workflow-server.ts`, '--transport', 'streamable-http'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${err}`)), 20_000);
    server.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${err}`)));
  });
});

after(async () => {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
});

describe('vmcp workflow run', () => {
  it('runs a workflow, answers its question and prints each step with its level and timing', async () => {
    const r = await run(runWorkflowCommand, ['run', 'greet_twice', '--args', '{"who":"ada"}', '--url', url, '--answer', '{"shout":true}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^workflow greet_twice: completed in \S+ \(run [0-9a-f-]{36}\)\n/);
    const rows = r.stdout.split('\n').filter((l) => /^\d\s/.test(l));
    assert.deepEqual(
      rows.map((l) => l.split(/\s{2,}/).slice(0, 5)),
      [
        ['1', 'hello', 'tool', 'completed', '1'],
        ['1', 'hi', 'tool', 'completed', '1'],
        ['2', 'ask', 'elicitation', 'completed', '1'],
        ['3', 'combine', 'tool', 'completed', '1'],
      ],
    );
    assert.ok(
      rows.every((l) => /\+\d+(\.\d+)?m?s\s+\d+(\.\d+)?m?s/.test(l)),
      'started and took columns',
    );
    assert.match(r.stdout, /output:\n\{\n {2}"message": "HEY, hello, ada \/ hi, ada"\n\}\n$/);
    assert.equal(r.stderr, 'question: Shout at ada?\n');
  });

  it('shows skipped steps and the output default when the user declines', async () => {
    const r = await run(runWorkflowCommand, ['run', 'greet_twice', '--url', url, '--answer', 'decline']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3\s+combine\s+tool\s+skipped \(skip remaining\)\s+0\s+-\s+-/);
    assert.match(r.stdout, /"message": "nobody was greeted"/);
  });

  it('exits 1 with the error when the workflow fails; --json prints the result with _meta', async () => {
    const r = await run(runWorkflowCommand, ['run', 'always_fails', '--url', url]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1\s+boom\s+tool\s+failed\s+1\s+.*tool local\.fail failed: the backend said no/);
    assert.match(r.stdout, /error: Workflow execution failed: step "boom" failed: tool local.fail failed: the backend said no\n$/);
    const j = await run(runWorkflowCommand, ['run', 'always_fails', '--url', url, '--json']);
    const result = JSON.parse(j.stdout) as { isError: boolean; _meta: Record<string, { status: string; steps: unknown[] }> };
    assert.equal(result.isError, true);
    assert.equal(result._meta['vmcp/workflow']!.status, 'failed');
  });

  it('reports usage errors (2) and an unreachable gateway (3)', async () => {
    assert.equal((await run(runWorkflowCommand, ['run'])).code, 2);
    assert.match((await run(runWorkflowCommand, ['run', 'x', '--args', '[1]'])).stderr, /--args must be a JSON object/);
    assert.equal((await run(runWorkflowCommand, ['stop', 'x'])).code, 2);
    const down = await run(runWorkflowCommand, ['run', 'x', '--url', 'http://127.0.0.1:9/mcp']);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /^vmcp workflow: http:\/\/127\.0\.0\.1:9\/mcp: /);
  });
});

describe('vmcp validate', () => {
  it('prints each workflow as levels of parallel steps', async () => {
    const r = await run(runValidate as typeof runWorkflowCommand, [`${FIXTURES}cli-demo.yaml`]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(
      r.stdout,
      /workflow greet_twice: 4 steps in 3 levels, timeout 30m\n {2}level 1 \(2 in parallel\)\n {4}hello +tool local\.greet\n {4}hi +tool local\.greet\n {2}level 2\n {4}ask +ask the user \(decline: skip_remaining, cancel: abort\) +after hello, hi\n {2}level 3\n {4}combine +tool local\.greet +after ask\n/,
    );
    const j = await run(runValidate as typeof runWorkflowCommand, ['--json', `${FIXTURES}cli-demo.yaml`]);
    assert.deepEqual((JSON.parse(j.stdout) as { workflows: unknown }).workflows, [
      { name: 'greet_twice', levels: [['hello', 'hi'], ['ask'], ['combine']] },
      { name: 'always_fails', levels: [['boom']] },
    ]);
  });
});
