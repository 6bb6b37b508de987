// Installs the pinned conformance suites (lib/suites.ts: 0.1.16 and, under an npm alias,
// 0.2.0-alpha.12) and, on Node < 22, a Node 22 binary from npm (the suites call fs.globSync) into
// <project>/.cache/conformance. Cached: nothing is fetched when the right versions are present.
// Works unattended (CI=true, no stdin, as root).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './children.js';
import { describeSuite, SUITES, type Revision, type SuiteSelection, type SuiteTool } from './suites.js';

const NODE_MAJOR = 22;

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

export interface Installed {
  /** A Node >= 22 binary. */
  node: string;
  suites: Record<Revision, SuiteTool>;
}

export async function ensureSuites(projectRoot: string, selection: SuiteSelection, log: (msg: string) => void): Promise<Installed> {
  const dir = join(projectRoot, '.cache', 'conformance');
  mkdirSync(dir, { recursive: true });
  const nodePkg = nodePackage();
  const defs = Object.values(SUITES);
  const wanted = [...defs.map((d) => d.install), ...(nodePkg ? [`${nodePkg}@${NODE_MAJOR}`] : [])];
  const ok = (): boolean =>
    defs.every((d) => installedVersion(dir, d.dir) === d.version) &&
    (!nodePkg ||
      (installedVersion(dir, nodePkg)?.startsWith(`${NODE_MAJOR}.`) === true &&
        existsSync(join(dir, 'node_modules', nodePkg, 'bin', 'node'))));
  if (!ok()) await install(dir, wanted, ok, log);
  const node = nodePkg ? join(dir, 'node_modules', nodePkg, 'bin', 'node') : process.execPath;
  const pkgDir = (d: { dir: string }): string => join(dir, 'node_modules', d.dir);
  return {
    node,
    suites: {
      '2025': await describeSuite(SUITES['2025'], node, pkgDir(SUITES['2025']), selection),
      '2026': await describeSuite(SUITES['2026'], node, pkgDir(SUITES['2026']), selection),
    },
  };
}

async function install(dir: string, wanted: string[], ok: () => boolean, log: (msg: string) => void): Promise<void> {
  await withLock(dir, async () => {
    if (ok()) return;
    // Without its own package.json npm would walk up and install into the project itself.
    if (!existsSync(join(dir, 'package.json'))) {
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'vmcp-conformance-cache', private: true }, null, 2)}\n`);
    }
    log(`installing ${wanted.join(' ')} into ${dir}`);
    // All in one command: a second `npm install` would prune a package the first did not save.
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
