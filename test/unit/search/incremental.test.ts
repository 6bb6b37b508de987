// Every shortcut of indexing (analyses reused by definition object, term ids reused by text and by
// schema object, update(), a renewed vocabulary, reused scoring memory) must rank exactly like a
// cold build from never-seen definitions. Checked over the benchmark's real tool definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertised, loadServers } from '../../../bench/search/catalog.js';
import { TASKS } from '../../../bench/search/tasks.js';
import { searchMany, type SearchHit } from '../../../src/search/bm25.js';
import { setTermCacheMode } from '../../../src/search/tokenize.js';
import { jsonBytes, type ToolDefinition } from '../../../src/search/tool-definition.js';
import { ToolIndex } from '../../../src/search/tool-index.js';
import { Vocabulary } from '../../../src/search/vocabulary.js';

const servers = loadServers();
const REAL = advertised(servers);
const QUERIES = TASKS.map((t) => t.query);

function coldIndex(tools: readonly ToolDefinition[]): ToolIndex {
  setTermCacheMode('off');
  try {
    return new ToolIndex(structuredClone(tools) as ToolDefinition[]);
  } finally {
    setTermCacheMode('remember');
  }
}

const rank = (indexes: readonly ToolIndex[], description: string): SearchHit[] => searchMany(indexes, { description, limit: 10 });

function assertSameRanking(actual: readonly ToolIndex[], expected: readonly ToolIndex[], label: string): void {
  for (const q of QUERIES) assert.deepEqual(rank(actual, q), rank(expected, q), `${label}: ${q}`);
}

test('a new snapshot of copied definitions ranks exactly like a cold build', () => {
  new ToolIndex(REAL); // what the copies' texts and schemas are remembered from
  const snapshot = new ToolIndex(REAL.map((t) => ({ ...t })));
  assertSameRanking([snapshot], [coldIndex(REAL)], 'snapshot');
});

test('update() after one server changed ranks exactly like a cold build of the changed catalog', () => {
  const before = new ToolIndex(REAL);
  const changed = REAL.filter((t) => t.name.startsWith('github_')).map((t) => ({ ...t, description: `${t.description ?? ''} (mirror)` }));
  const gone = REAL.filter((t) => t.name.startsWith('slack_')).map((t) => t.name);
  const after = before.update({ upsert: changed, remove: gone });
  const changedNames = new Set([...changed.map((t) => t.name), ...gone]);
  const expected = [...REAL.filter((t) => !changedNames.has(t.name)), ...changed];
  assert.equal(after.size, expected.length);
  assertSameRanking([after], [coldIndex(expected)], 'update');
});

test('analyses from a replaced vocabulary are redone and rank the same', () => {
  const old = new ToolIndex(REAL);
  Vocabulary.renew();
  const mixed = new ToolIndex([...REAL.slice(0, 100), ...REAL.slice(100).map((t) => ({ ...t }))]);
  assertSameRanking([mixed], [old], 'renewed vocabulary');
  assertSameRanking([old.update({ upsert: REAL.slice(0, 5).map((t) => ({ ...t })) })], [old], 'update across vocabularies');
});

test('searches of different indexes in turn do not see each other (reused scoring memory)', () => {
  const whole = new ToolIndex(REAL);
  const part = new ToolIndex(REAL.slice(0, 120));
  const first = QUERIES.slice(0, 20).map((q) => rank([whole], q));
  for (const q of QUERIES.slice(0, 20)) rank([part], q);
  assert.deepEqual(
    QUERIES.slice(0, 20).map((q) => rank([whole], q)),
    first,
  );
  // An allow filter applies to its own search only.
  const hidden = searchMany([whole], { description: QUERIES[0]!, limit: 10, allow: () => false });
  assert.deepEqual(hidden, []);
  assert.deepEqual(rank([whole], QUERIES[0]!), first[0]);
});

test('JSON sizes member by member equal the JSON text of every real definition', () => {
  for (const tool of REAL) assert.equal(jsonBytes(tool), Buffer.byteLength(JSON.stringify(tool)), tool.name);
  const odd: ToolDefinition[] = [
    { name: 'q"uote\\back', description: 'naïve — ünïcode 日本語 \u0007 \ud83d\ude00' },
    { name: 'u', description: undefined, title: 'x', inputSchema: { type: 'object', properties: { a: { enum: ['é', 1, null] } } } },
    { name: 'lone', description: '\ud800 alone' },
    { name: 'empty' },
  ];
  for (const tool of odd) assert.equal(jsonBytes(tool), Buffer.byteLength(JSON.stringify(tool)), tool.name);
});
