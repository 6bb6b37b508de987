// Installs the pinned conformance suite (and, on Node < 22, a Node 22 binary from npm, because
// the suite calls fs.globSync) into <project>/.cache/conformance. Cached: nothing is fetched when
// the right versions are present. Works unattended (CI=true, no stdin, as root).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './children.js';

export const SUITE_VERSION = '0.1.16';
/** Scenarios of 0.1.16 that only `--suite all` runs (`conformance list --server` does not mark them). */
export const PENDING = new Set(['json-schema-2020-12', 'server-sse-polling']);
const NODE_MAJOR = 22;

export interface SuiteTool {
  /** A Node >= 22 binary. */
  node: string;
  /** The suite's CLI entry (dist/index.js). */
  cli: string;
  /** Every server scenario, in the suite's order. */
  scenarios: string[];
}

function installedVersion(dir: string, pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function nodePackage(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return undefined;
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch as string];
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform as string];
  if (!arch || !os) throw new Error(`conformance needs Node >= ${NODE_MAJOR}; no npm Node package for ${process.platform}-${process.arch}`);
  return `node-${os}-${arch}`;
}

/** One installer at a time per cache dir (a manual run and `npm test` may overlap). */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.install-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // stale
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureSuite(projectRoot: string, log: (msg: string) => void): Promise<SuiteTool> {
  const dir = join(projectRoot, '.cache', 'conformance');
  mkdirSync(dir, { recursive: true });
  const nodePkg = nodePackage();
  const wanted = [`@modelcontextprotocol/conformance@${SUITE_VERSION}`, ...(nodePkg ? [`${nodePkg}@${NODE_MAJOR}`] : [])];
  const ok = (): boolean =>
    installedVersion(dir, '@modelcontextprotocol/conformance') === SUITE_VERSION &&
    (!nodePkg ||
      (installedVersion(dir, nodePkg)?.startsWith(`${NODE_MAJOR}.`) === true &&
        existsSync(join(dir, 'node_modules', nodePkg, 'bin', 'node'))));
  if (!ok()) {
    await withLock(dir, async () => {
      if (ok()) return;
      // Without its own package.json npm would walk up and install into the project itself.
      if (!existsSync(join(dir, 'package.json'))) {
        writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'vmcp-conformance-cache', private: true }, null, 2)}\n`);
      }
      log(`installing ${wanted.join(' ')} into ${dir}`);
      // Both in one command: a second `npm install` would prune a package the first did not save.
      const res = await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', ...wanted], {
        cwd: dir,
        env: { ...process.env, CI: 'true', npm_config_update_notifier: 'false', npm_config_yes: 'true' },
        timeoutMs: 5 * 60_000,
      });
      if (res.code !== 0 || !ok()) {
        throw new Error(`npm install failed (exit ${res.code}${res.timedOut ? ', timed out' : ''}):\n${res.stderr.slice(-2000)}`);
      }
    });
  }
  const node = nodePkg ? join(dir, 'node_modules', nodePkg, 'bin', 'node') : process.execPath;
  const cli = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  const listed = await run(node, [cli, 'list', '--server'], { timeoutMs: 60_000 });
  const scenarios = [...listed.stdout.matchAll(/^\s+-\s+([A-Za-z0-9_.-]+)/gm)].map((m) => m[1] ?? '');
  if (listed.code !== 0 || scenarios.length === 0) {
    throw new Error(`\`conformance list --server\` failed (exit ${listed.code}):\n${listed.stderr.slice(-2000)}`);
  }
  return { node, cli, scenarios };
}
