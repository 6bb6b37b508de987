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
import { ViewIndexes } from '../../../src/search/view-indexes.js';
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

const close = (actual: readonly SearchHit[], expected: readonly SearchHit[], label: string): void => {
  assert.deepEqual(
    actual.map((h) => h.name),
    expected.map((h) => h.name),
    label,
  );
  actual.forEach((hit, i) => assert.ok(Math.abs(hit.score - expected[i]!.score) < 1e-9, `${label}: score of ${hit.name}`));
};

test('a subset ranks exactly like an index built from its tools alone, and shares the postings', () => {
  const whole = new ToolIndex(REAL);
  // What a Cedar policy might leave: whole servers hidden, and every third tool of the rest.
  const kept = REAL.filter((t, i) => !t.name.startsWith('github_') && !t.name.startsWith('slack_') && i % 3 !== 0);
  const subset = whole.subset(kept.map((t) => t.name));
  const alone = new ToolIndex(kept);
  assert.equal(subset.size, kept.length);
  assert.equal(subset.slots, whole.slots, 'document numbers are the whole index’s');
  assert.deepEqual(subset.names(), alone.names());
  assert.equal(subset.totalTokens(), alone.totalTokens());
  assert.equal(subset.has(REAL.find((t) => t.name.startsWith('github_'))!.name), false);
  for (const q of QUERIES) close(rank([subset], q), rank([alone], q), q);
  // With an allow filter, next to another index, and after update(): still the same as built alone.
  const allow = (name: string): boolean => !name.includes('file');
  const extra = new ToolIndex([{ name: 'mine_create_issue', description: 'Create an issue in my own tracker' }]);
  for (const q of QUERIES.slice(0, 40)) {
    close(
      searchMany([subset, extra], { description: q, limit: 10, allow }),
      searchMany([alone, extra], { description: q, limit: 10, allow }),
      q,
    );
  }
  const updated = subset.update({ remove: [kept[0]!.name] });
  assertSameRanking([updated], [new ToolIndex(kept.slice(1))], 'update of a subset');
});

test('view indexes: a filtered list of the shared definitions is a subset, a list of copies reuses analyses', () => {
  const views = new ViewIndexes();
  const shared = views.shared(REAL);
  const filtered = REAL.filter((t) => !t.name.startsWith('gitlab_'));
  const view = views.indexOf(filtered);
  assert.equal(view.slots, shared.slots, 'searched through the shared postings');
  assert.equal(view.size, filtered.length);
  assert.equal(views.indexOf(filtered), view, 'one index per list');
  // A per-user catalog: copies of the shared definitions, plus a backend of its own.
  const mine = [...REAL.map((t) => ({ ...t })), { name: 'mine_search_notes', description: 'Search my notes by keyword' }];
  const own = views.indexOf(mine);
  assert.equal(own.size, mine.length);
  for (const q of QUERIES) {
    close(rank([view], q), rank([coldIndex(filtered)], q), `filtered: ${q}`);
    close(rank([own], q), rank([coldIndex(mine)], q), `per-user: ${q}`);
  }
});
