// vmcp installed from its tarball, as a newcomer does: `npm pack`, install it into a fresh project,
// `npx vmcp serve` with no config (the embedded demo). npm hoists vmcp's dependencies into that
// project's node_modules, so this fails if the demo finds its servers by a path relative to vmcp.
//
// Loopback only: the install runs `--offline` from the npm cache `npm ci` filled. `npm ci` caches
// tarballs but not registry metadata, so the fresh project gets a lockfile derived from ours (the
// same versions and the same hoisted layout npm would pick) instead of resolving ranges online.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { connectClient, descendants, isAlive, ROOT, text, waitFor } from '../helpers/gateway.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'vmcp-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a plain shell: `npm test` exports npm_* settings that would steer the nested npm. */
const ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || k === 'npm_config_cache')),
  // The demo's memory server writes ${TMPDIR}/vmcp-demo-memory.jsonl: keep it inside the test's directory.
  TMPDIR: work,
};

/** Packing skips `prepare` (a rebuild would rewrite dist/ under tests that run it), so dist/ must be current. */
function staleBuild(): string | undefined {
  const src = join(ROOT, 'src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const out = join(ROOT, 'dist', file.replace(/\.ts$/, '.js'));
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(join(src, file)).mtimeMs) return relative(ROOT, join(src, file));
  }
  return undefined;
}

interface Packed {
  readonly filename: string;
  readonly integrity: string;
}

async function pack(): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: ENV });
  const [packed] = JSON.parse(stdout) as Packed[];
  assert.ok(packed, stdout);
  return packed;
}

/** A lockfile for a project depending only on the tarball: vmcp's own production entries, same paths. */
function consumerProject(dir: string, tarball: Packed): void {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const dependency = `file:../${tarball.filename}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { vmcp: dependency } },
    'node_modules/vmcp': {
      version: manifest.version,
      resolved: dependency,
      integrity: tarball.integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { vmcp: dependency } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
}

describe('vmcp from its npm tarball', { timeout: 120_000 }, () => {
  it('installs into a fresh project and `npx vmcp serve` serves the demo there', async () => {
    const stale = staleBuild();
    assert.equal(stale, undefined, `dist/ is older than ${stale}: run \`npm run build\` first`);
    const tarball = await pack();
    const project = join(work, 'consumer');
    mkdirSync(project);
    consumerProject(project, tarball);
    console.time('install');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env: ENV, timeout: 60_000 });
    console.timeEnd('install');
    assert.ok(!existsSync(join(project, 'node_modules/vmcp/node_modules/@modelcontextprotocol')), 'the servers are hoisted');

    // Its own process group, so a failed run can end npx, vmcp and the backends together.
    const cli = spawn('npx', ['--no', 'vmcp', 'serve', '--port', '0', '--log-level', 'warn'], { cwd: project, env: ENV, detached: true });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    cli.stderr.resume();
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    try {
      const url = await waitFor(() => /listening on (\S+)/.exec(out)?.[1], 'the URL banner', 30_000);
      await waitFor(() => /^memory\s/m.test(out), 'the backend table');
      assert.match(out, /vmcp vmcp-demo \(.*node_modules\/vmcp\/examples\/demo\.yaml\)/);
      assert.match(out, /^everything\s+stdio\s+ready\s+\d+/m);
      assert.match(out, /^memory\s+stdio\s+ready\s+\d+/m);
      assert.equal((await fetch(new URL('/readyz', url))).status, 200);
      const backends = descendants('server-', cli.pid);
      assert.equal(backends.length, 2, 'one process per stdio backend');

      const client = await connectClient(url);
      const echo = await client.callTool({ name: 'everything_echo', arguments: { message: 'from a tarball' } });
      assert.equal(text(echo as never), 'Echo: from a tarball');
      const graph = await client.callTool({ name: 'memory_read_graph', arguments: {} });
      assert.notEqual(graph.isError, true, text(graph as never));
      await client.close();

      // What a supervisor does (Kubernetes signals PID 1): SIGTERM to vmcp itself; npx passes its exit code on.
      const [vmcp] = descendants('.bin/vmcp', cli.pid);
      assert.ok(vmcp !== undefined, 'the vmcp process');
      process.kill(vmcp, 'SIGTERM');
      assert.equal(await exited, 0);
      assert.match(out, /SIGTERM, shutting down/);
      for (const pid of backends) assert.ok(!isAlive(pid), `backend ${pid} was ended`);
    } finally {
      if (cli.exitCode === null && cli.pid !== undefined) process.kill(-cli.pid, 'SIGKILL');
    }
  });
});
