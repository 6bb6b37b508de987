import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import type { OptimizerConfig } from '../../../src/config/types.js';
import { createToolSearch } from '../../../src/search/tool-search.js';

const BASE = 'name: t\nbackends: []\n';

function load(optimizer: string, env: Record<string, string> = {}): { optimizer?: OptimizerConfig; errors: string[] } {
  const { config, issues } = loadConfigText(BASE + optimizer, { env });
  const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
  return { ...(config === undefined ? {} : { optimizer: config.optimizer }), errors };
}

test('no optimizer key: mode off, defaults filled in', () => {
  assert.deepEqual(load('').optimizer, {
    mode: 'off',
    maxToolsToReturn: 8,
    hybridSearchSemanticRatio: 0.5,
    semanticDistanceThreshold: 1,
    alwaysAdvertise: [],
  });
});

test('an empty optimizer key turns keyword search on; embeddingService makes it hybrid over TEI', () => {
  assert.equal(load('optimizer: {}').optimizer?.mode, 'keyword');
  const hybrid = load('optimizer:\n  embeddingService: http://127.0.0.1:8080/\n').optimizer;
  assert.equal(hybrid?.mode, 'hybrid');
  assert.deepEqual(hybrid?.embedding, { provider: 'tei', url: 'http://127.0.0.1:8080', headers: {}, timeoutMs: 30_000 });
});

test("ToolHive's string-typed ratio and threshold are accepted, as are numbers", () => {
  const o = load('optimizer:\n  hybridSearchSemanticRatio: "0.25"\n  semanticDistanceThreshold: 1.5\n').optimizer;
  assert.equal(o?.hybridSearchSemanticRatio, 0.25);
  assert.equal(o?.semanticDistanceThreshold, 1.5);
});

test('out-of-range and inconsistent settings are errors naming the key', () => {
  const cases: [string, RegExp][] = [
    ['  maxToolsToReturn: 51', /optimizer\.maxToolsToReturn/],
    ['  hybridSearchSemanticRatio: 1.5', /optimizer\.hybridSearchSemanticRatio: must be between 0 and 1/],
    ['  semanticDistanceThreshold: "abc"', /optimizer\.semanticDistanceThreshold/],
    ['  embeddingProvider: openai\n  embeddingService: http://127.0.0.1:1/v1', /optimizer\.embeddingModel: is required/],
    ['  embeddingProvider: openai\n  embeddingModel: m', /optimizer\.embeddingService: is required/],
    [
      '  embeddingService: http://127.0.0.1:1\n  embeddingHeaders: {X-A: b}',
      /embeddingHeaders: is only supported when embeddingProvider is "openai"/,
    ],
    ['  embeddingServiceTimeout: 0s', /optimizer\.embeddingServiceTimeout: must be greater than 0/],
    ['  findToolDescription: ""', /optimizer\.findToolDescription/],
  ];
  for (const [yaml, expected] of cases) {
    const { errors } = load(`optimizer:\n${yaml}\n`);
    assert.ok(
      errors.some((e) => expected.test(e)),
      `${yaml}\n${errors.join('\n')}`,
    );
  }
});

test('embeddingHeaders: openai only, at most 32, never Authorization or Content-Type, values from ${VAR}', () => {
  const openai = 'optimizer:\n  embeddingProvider: openai\n  embeddingService: https://api.example.com/v1\n  embeddingModel: m\n';
  const reserved = load(`${openai}  embeddingHeaders: {Authorization: x, content-type: y}\n`).errors;
  assert.ok(reserved.some((e) => /"Authorization" cannot be set: it comes from the OPENAI_API_KEY/.test(e)));
  assert.ok(reserved.some((e) => /"content-type" cannot be set/.test(e)));
  const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`X-H${i}`, 'v']));
  assert.ok(load(`${openai}  embeddingHeaders: ${JSON.stringify(many)}\n`).errors.some((e) => /at most 32 headers/.test(e)));
  const { optimizer, errors } = load(`${openai}  embeddingHeaders: {X-Key: "\${GATEWAY_KEY}"}\n`, { GATEWAY_KEY: 'gw-secret-1' });
  assert.deepEqual(errors, []);
  assert.equal(optimizer?.embedding?.headers['X-Key']?.reveal(), 'gw-secret-1');
  assert.doesNotMatch(JSON.stringify(optimizer), /gw-secret-1/);
  assert.ok(load(`${openai}  embeddingHeaders: {X-Key: "\${UNSET_VAR}"}\n`).errors.some((e) => /UNSET_VAR.*is not set/.test(e)));
});

test('createToolSearch: keyword without a service, hybrid with one', async () => {
  const off = load('optimizer: {}').optimizer!;
  const search = createToolSearch(off, {});
  const ranked = await search.rank({ description: 'anything' }, { indexes: [] });
  assert.deepEqual(ranked, { names: [], arm: 'keyword' });
});
