// Runs `npm run conformance` end to end as a child process: both MCP conformance suites (2025-11-25
// and the 2026-07-28 requirements) against the conformance backend directly and through the gateway
// (2025 suite over every backend transport; 2026 suite with the backend pinned to 2026-07-28 and
// with a 2025-era backend). Needs the gateway built (`npm run build`); the suites and a Node 22
// binary are installed into .cache/ on first use (network), then cached.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT_MS = 8 * 60_000;

function runRunner(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['--no-install', 'tsx', 'test/conformance/run.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: `npm exec` does not forward SIGTERM, so on timeout the whole group
      // (npm, tsx, the runner) is signalled and the runner stops its own children.
      detached: true,
    });
    const signal = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-(child.pid ?? 0), sig);
      } catch {
        /* already gone */
      }
    };
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    // The runner bounds itself (--timeout); this is the backstop. SIGTERM lets it kill its children.
    const timer = setTimeout(() => {
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), 5000).unref();
    }, TIMEOUT_MS - 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

test(
  'conformance suites (2025-11-25, 2026-07-28) pass directly and through the gateway, expected failures aside',
  { timeout: TIMEOUT_MS },
  async () => {
    // `npm test` builds first; a missing build is a failure, not a skip.
    assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'gateway not built (dist/cli/main.js missing): run `npm run build` first');
    const results = mkdtempSync(join(tmpdir(), 'vmcp-conformance-test-'));
    try {
      const { code, out } = await runRunner(['--suite', 'all', '--results', results, '--timeout', String((TIMEOUT_MS - 60_000) / 1000)]);
      const summaries = [
        /^conformance 2025-11-25: direct \d+\/\d+, gateway\(stdio\) \d+\/\d+, gateway\(streamable-http\) \d+\/\d+, gateway\(sse\) \d+\/\d+$/m,
        /^conformance 2026-07-28: direct \d+\/\d+, gateway\(streamable-http\) \d+\/\d+, gateway\(streamable-http-2026\) \d+\/\d+$/m,
      ];
      for (const summary of summaries) assert.match(out, summary, `no summary line ${summary} in the runner output:\n${out.slice(-4000)}`);
      assert.equal(code, 0, `runner exited ${code}:\n${out.slice(-4000)}`);
    } finally {
      rmSync(results, { recursive: true, force: true });
    }
  },
);
