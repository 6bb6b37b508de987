// `${package:NAME}`: the directory of the npm package NAME as Node's module resolution finds it
// from vmcp's own location (import.meta.resolve), so a config can run a server vmcp was installed
// with — `node ${package:@modelcontextprotocol/server-memory}/dist/index.js` — wherever npm put it
// (nested in vmcp/node_modules, or hoisted next to vmcp in the consumer's node_modules).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** npm's package-name rule (lower case, URL-safe, optional @scope/); excludes paths and `node:` builtins. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export type PackageDir = { readonly dir: string } | { readonly problem: string };

/** Where `${package:NAME}` looks from: the directory of this module inside vmcp's install. */
export const RESOLVED_FROM = dirname(fileURLToPath(import.meta.url));

export function packageDir(name: string): PackageDir {
  if (!PACKAGE_NAME.test(name))
    return { problem: `"${name}" is not an npm package name (write \${package:NAME} or \${package:@scope/NAME})` };
  // Packages without an `exports` map (most MCP servers) expose package.json; others may hide it.
  const manifest = tryResolve(`${name}/package.json`);
  if (manifest !== undefined) return { dir: dirname(manifest) };
  const entry = tryResolve(name);
  const dir = entry === undefined ? undefined : packageRootOf(entry, name);
  if (dir !== undefined) return { dir };
  return {
    problem: `package "${name}" is not installed where vmcp can find it (Node.js resolution from ${RESOLVED_FROM}); npm install it next to vmcp`,
  };
}

function tryResolve(specifier: string): string | undefined {
  try {
    const url = import.meta.resolve(specifier);
    return url.startsWith('file:') ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest directory above `file` whose package.json names `name`. */
function packageRootOf(file: string, name: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && manifestName(manifest) === name) return dir;
  }
  return undefined;
}

function manifestName(path: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown };
    return typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
