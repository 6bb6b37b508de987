import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { searchMany } from '../../../src/search/bm25.js';
import diagnostics from 'node:diagnostics_channel';
import type { EmbeddingServiceConfig } from '../../../src/config/types.js';
import type { WarningEvent } from '../../../src/observability/channels.js';
import { CachedEmbedder } from '../../../src/search/embeddings/cache.js';
import { createEmbeddingClient } from '../../../src/search/embeddings/client.js';
import { findToolResult } from '../../../src/search/find-tool.js';
import { mergeHybrid } from '../../../src/search/semantic.js';
import { RETRY_AFTER_MS, ToolSearch, type SearchSettings } from '../../../src/search/tool-search.js';
import { ToolIndex } from '../../../src/search/tool-index.js';
import { EmbeddingServer } from './embedding-server.js';

let server: EmbeddingServer;
before(async () => {
  server = await new EmbeddingServer().start();
});
after(() => server.close());

const TOOLS = new ToolIndex([
  { name: 'weather_forecast', description: 'Weather forecast for a city' },
  { name: 'weather_alerts', description: 'Severe weather alerts for a region' },
  { name: 'mail_send', description: 'Send an email message' },
  { name: 'mail_search', description: 'Search the mailbox for messages' },
  { name: 'files_read', description: 'Read a file from disk' },
]);

const SETTINGS: SearchSettings = { maxToolsToReturn: 4, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 };

function hybrid(settings: Partial<SearchSettings> = {}, clock = { t: 0 }, timeoutMs = 2000): ToolSearch {
  const config: EmbeddingServiceConfig = { provider: 'tei', url: server.url, headers: {}, timeoutMs };
  return new ToolSearch({
    settings: { ...SETTINGS, ...settings },
    embedder: new CachedEmbedder(createEmbeddingClient(config)),
    now: () => clock.t,
  });
}

function warnings(): { list: WarningEvent[]; stop: () => void } {
  const list: WarningEvent[] = [];
  const listener = (event: unknown): void => void list.push(event as WarningEvent);
  diagnostics.subscribe('vmcp:warning', listener);
  return { list, stop: () => diagnostics.unsubscribe('vmcp:warning', listener) };
}

test('mergeHybrid: the ratio splits the slots, a short arm leaves its slots to the other, duplicates take one slot', () => {
  const hits = (...names: string[]) => names.map((name) => ({ name, score: 1 }));
  const sorted = (names: string[]) => [...names].sort();
  assert.deepEqual(sorted(mergeHybrid(hits('s1', 's2', 's3'), hits('k1', 'k2', 'k3'), 2, 4)), ['k1', 'k2', 's1', 's2']);
  assert.deepEqual(sorted(mergeHybrid(hits('s1'), hits('k1', 'k2', 'k3', 'k4'), 2, 4)), ['k1', 'k2', 'k3', 's1']);
  assert.deepEqual(sorted(mergeHybrid(hits('s1', 'k1'), hits('k1', 'k2'), 2, 4)), ['k1', 'k2', 's1']);
  assert.deepEqual(sorted(mergeHybrid(hits('s1', 's2', 's3'), hits('k1'), 1, 4)), ['k1', 's1', 's2', 's3']);
});

test('mergeHybrid: ordered by ratio-weighted reciprocal rank fusion; agreement first, ties to the keyword order', () => {
  const hits = (...names: string[]) => names.map((name) => ({ name, score: 1 }));
  assert.deepEqual(mergeHybrid(hits('s1', 's2', 's3'), hits('k1', 'k2', 'k3'), 2, 4), ['k1', 's1', 'k2', 's2']);
  assert.deepEqual(mergeHybrid(hits('s1', 'both'), hits('both', 'k2'), 2, 4), ['both', 's1', 'k2']);
  // A ratio of 3/4 puts the semantic arm's first answer ahead of the keyword arm's.
  assert.deepEqual(mergeHybrid(hits('s1', 's2', 's3'), hits('k1', 'k2'), 3, 4), ['s1', 's2', 's3', 'k1']);
});

test('hybrid: both arms contribute, within maxToolsToReturn', async () => {
  server.mode = 'ok';
  const search = hybrid();
  assert.equal(await search.prepare(TOOLS), true);
  const ranked = await search.rank({ description: 'weather forecast' }, { indexes: [TOOLS] });
  assert.equal(ranked.arm, 'hybrid');
  assert.equal(ranked.names[0], 'weather_forecast');
  assert.ok(ranked.names.length <= 4);
  assert.ok(ranked.names.includes('weather_alerts'));
});

test('hybrid: semanticDistanceThreshold cuts semantic matches (0 keeps only identical text)', async () => {
  server.mode = 'ok';
  const strict = hybrid({ semanticDistanceThreshold: 0, hybridSearchSemanticRatio: 1 });
  const ranked = await strict.rank({ description: 'read a file from disk' }, { indexes: [TOOLS] });
  // Nothing is identical, so the keyword arm fills every slot it can.
  assert.deepEqual(
    ranked.names,
    searchMany([TOOLS], { description: 'read a file from disk', limit: 4 }).map((h) => h.name),
  );
  const loose = hybrid({ semanticDistanceThreshold: 2, hybridSearchSemanticRatio: 1 });
  assert.equal((await loose.rank({ description: 'zzz unknown words' }, { indexes: [TOOLS] })).names.length, 4);
});

test('hybrid: allow filters the semantic arm too', async () => {
  server.mode = 'ok';
  const search = hybrid({ hybridSearchSemanticRatio: 1, semanticDistanceThreshold: 2 });
  const allow = (name: string): boolean => !name.startsWith('weather_');
  const ranked = await search.rank({ description: 'weather forecast' }, { indexes: [TOOLS], allow });
  assert.ok(ranked.names.length > 0);
  assert.ok(ranked.names.every(allow), ranked.names.join());
});

test('a failing service degrades to keyword search with a warning, pauses, then is tried again', async () => {
  const clock = { t: 1_000 };
  const search = hybrid({}, clock);
  const seen = warnings();
  try {
    server.mode = 'error';
    server.received.length = 0;
    const keywordOnly = searchMany([TOOLS], { description: 'send an email', limit: 4 }).map((h) => h.name);
    const degraded = await search.findTool({ description: 'send an email', keywords: [] }, { indexes: [TOOLS] });
    assert.equal(degraded.arm, 'keyword');
    assert.deepEqual(Object.keys(findToolResult(degraded).structuredContent), ['tools', 'token_metrics'], 'arm stays off the wire');
    assert.deepEqual(
      degraded.tools.map((t) => t.name),
      keywordOnly,
    );
    assert.equal(seen.list.length, 1);
    assert.equal(seen.list[0]?.source, 'search');
    assert.match(seen.list[0]!.message, /HTTP 503.*keyword search only for the next 30s/);
    const calls = server.received.length;
    clock.t += RETRY_AFTER_MS - 1;
    assert.equal((await search.rank({ description: 'send an email' }, { indexes: [TOOLS] })).arm, 'keyword');
    assert.equal(server.received.length, calls, 'no embedding call while paused');
    server.mode = 'ok';
    clock.t += 2;
    const recovered = await search.rank({ description: 'send an email' }, { indexes: [TOOLS] });
    assert.equal(recovered.arm, 'hybrid', seen.list.map((w) => w.message).join('\n'));
  } finally {
    seen.stop();
  }
});

test('a timeout or an outage also degrades to keyword search, never to an error', async () => {
  const seen = warnings();
  try {
    server.mode = 'hang';
    const slow = hybrid({}, { t: 0 }, 150);
    assert.equal((await slow.rank({ description: 'read a file' }, { indexes: [TOOLS] })).arm, 'keyword');
    assert.match(seen.list.at(-1)!.message, /no answer within 150 ms/);
    server.mode = 'ok';
    const gone = await new EmbeddingServer().start();
    await gone.close();
    const config: EmbeddingServiceConfig = { provider: 'tei', url: gone.url, headers: {}, timeoutMs: 1000 };
    const down = new ToolSearch({ settings: SETTINGS, embedder: new CachedEmbedder(createEmbeddingClient(config)) });
    assert.equal(await down.prepare(TOOLS), false);
    assert.match(seen.list.at(-1)!.message, /ECONNREFUSED/);
  } finally {
    seen.stop();
  }
});

test('keyword-only search: no embedder, or a ratio of 0', async () => {
  const plain = new ToolSearch({ settings: SETTINGS });
  assert.equal(await plain.prepare(TOOLS), true);
  assert.equal((await plain.rank({ description: 'weather' }, { indexes: [TOOLS] })).arm, 'keyword');
  server.received.length = 0;
  assert.equal((await hybrid({ hybridSearchSemanticRatio: 0 }).rank({ description: 'weather' }, { indexes: [TOOLS] })).arm, 'keyword');
  assert.equal(server.received.length, 0);
});
