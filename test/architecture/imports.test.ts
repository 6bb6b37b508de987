// The layering of docs/architecture.md, checked from the source: every import (static, re-export
// or dynamic `import()`, either quote style) points down the layer order or into a leaf; there are
// no import cycles; the auth sub-layers stay apart; SDK clients and servers, connectors and
// transports are constructed only where they belong; no file passes 300 lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { ROOT } from '../helpers/gateway.js';

const SRC = join(ROOT, 'src');

/** Higher may import lower. Same level: only within one layer. */
const LEVEL: Record<string, number> = {
  cli: 8,
  app: 7,
  edge: 6,
  routing: 5,
  composite: 4,
  search: 4,
  codemode: 4,
  aggregation: 3,
  health: 3,
  backends: 2,
  auth: 1,
};
/** Leaves import no layer; `protocol` (the wire vocabulary) is the one leaf other leaves may use. */
const LEAVES = new Set(['protocol', 'config', 'errors', 'observability', 'state']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const SOURCES = files(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** Relative imports of a file: `from '…'`, `from "…"`, `import('…')`, `export … from '…'`. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bfrom\s+(['"])(\.[^'"]+)\1|\bimport\s*\(\s*(['"])(\.[^'"]+)\3\s*\)|\bimport\s+(['"])(\.[^'"]+)\5/g)) {
    found.push((m[2] ?? m[4] ?? m[6])!);
  }
  return found;
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');
const target = (file: string, spec: string) => resolve(dirname(file), spec).replace(/\.js$/, '.ts');

function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  if (LEAVES.has(from)) return to === 'protocol';
  if (LEAVES.has(to)) return true;
  return (LEVEL[to] ?? 99) < (LEVEL[from] ?? -1);
}

describe('architecture', () => {
  it('every import inside src/ points down the layer order (or into a leaf)', () => {
    const violations: string[] = [];
    for (const { file, text } of SOURCES) {
      const from = layerOf(file);
      if (from === 'index') continue; // the public API re-exports from anywhere
      for (const spec of importsOf(text)) {
        const to = layerOf(target(file, spec));
        if (!allowed(from, to)) violations.push(`${relative(ROOT, file)} imports ${spec} (${from} → ${to})`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('has no import cycles', () => {
    const graph = new Map(SOURCES.map(({ file, text }) => [file, importsOf(text).map((s) => target(file, s))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    assert.deepEqual(cycles, []);
  });

  it('keeps the auth sub-layers apart (incoming, outgoing and authz share only auth/types.ts)', () => {
    const violations: string[] = [];
    for (const { file, text } of SOURCES) {
      const part = relative(join(SRC, 'auth'), file).split('/')[0];
      if (!file.startsWith(join(SRC, 'auth') + '/') || part === 'types.ts') continue;
      for (const spec of importsOf(text)) {
        const to = relative(join(SRC, 'auth'), target(file, spec)).split('/')[0];
        if (to && !to.startsWith('..') && to !== part && to !== 'types.ts') violations.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('only app/ constructs concrete connectors and transports (the CLI is a client of the gateway)', () => {
    const offenders = SOURCES.filter(({ file }) => !['app', 'backends', 'cli'].includes(layerOf(file)))
      .filter(({ text }) =>
        /new (ClientConnector|PerUserConnector|StdioTransport|HttpBackendTransport|StdioClientTransport|StreamableHTTPClientTransport|SSEClientTransport)\b/.test(
          text,
        ),
      )
      .map(({ file }) => relative(ROOT, file));
    assert.deepEqual(offenders, []);
  });

  it('builds SDK clients only in backends/ (the CLI is a client of the gateway) and SDK servers only in the edge adapter', () => {
    const clients = SOURCES.filter(({ file, text }) => /\bnew Client\(/.test(text) && !['backends', 'cli'].includes(layerOf(file)));
    const servers = SOURCES.filter(
      ({ file, text }) => /\bnew (Server|McpServer)\(/.test(text) && relative(SRC, file) !== 'edge/mcp-server.ts',
    );
    assert.deepEqual(
      [...clients, ...servers].map(({ file }) => relative(ROOT, file)),
      [],
    );
  });

  it('keeps source files small (≤ 300 lines)', () => {
    const big = SOURCES.map(({ file, text }) => [relative(ROOT, file), text.split('\n').length] as const).filter(([, n]) => n > 300);
    assert.deepEqual(big, []);
  });

  it('the import scanner sees every form it must', () => {
    const sample = `import a from './a.js';\nimport { b } from "../b.js";\nexport * from './c.js';\nconst d = await import('./d.js');\nimport './e.js';`;
    assert.deepEqual(importsOf(sample), ['./a.js', '../b.js', './c.js', './d.js', './e.js']);
  });
});
