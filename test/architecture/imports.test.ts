// Dependency direction (docs/architecture.md): cli → app → {edge, composite} → routing →
// {aggregation, health} → backends → auth; config, errors and observability are leaves that
// import nothing else of ours. This test reads src/ and fails when an import points the wrong way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { ROOT } from '../helpers/gateway.js';

const SRC = join(ROOT, 'src');
const LEVEL: Record<string, number> = {
  cli: 7,
  app: 6,
  edge: 5,
  composite: 5,
  routing: 4,
  // Between routing and aggregation (routing → {composite, search} → aggregation); imports only leaves today.
  search: 3.5,
  codemode: 4,
  aggregation: 3,
  health: 3,
  backends: 2,
  auth: 1,
  config: 0,
  errors: 0,
  observability: 0,
};
const LEAVES = new Set(['config', 'errors', 'observability']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerOf(file: string): string {
  return relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');
}

describe('architecture', () => {
  it('every import inside src/ points down the layer order (or into a leaf)', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const from = layerOf(file);
      if (from === 'index') continue; // the public API re-exports from anywhere
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const to = layerOf(resolve(dirname(file), m[1]!));
        if (to === from) continue;
        const ok = LEAVES.has(from) ? false : LEAVES.has(to) || (LEVEL[to] ?? 99) < (LEVEL[from] ?? -1);
        if (!ok) violations.push(`${relative(ROOT, file)} imports ${m[1]} (${from} → ${to})`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('only app/ constructs concrete connectors and transports', () => {
    // `vmcp workflow run` is a client of a running gateway, not a part of one.
    const clients = new Set([join(SRC, 'cli', 'workflow.ts')]);
    const offenders = files(SRC)
      .filter((f) => !['app', 'backends'].includes(layerOf(f)) && !clients.has(f))
      .filter((f) =>
        /new (ClientConnector|StdioClientTransport|StreamableHTTPClientTransport|SSEClientTransport)\b/.test(readFileSync(f, 'utf8')),
      );
    assert.deepEqual(
      offenders.map((f) => relative(ROOT, f)),
      [],
    );
  });

  it('keeps source files small (≤ 300 lines)', () => {
    const big = files(SRC)
      .map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 300);
    assert.deepEqual(big, []);
  });
});
