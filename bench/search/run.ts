// `npm run bench:search` — tool-search quality, size and speed, offline: the catalog is the
// committed tools/list of 23 published MCP servers (bench/search/tools/, refreshed by
// `npm run bench:search:dump`), the tasks are bench/search/tasks.ts.
//
//   npm run bench:search -- [--embedding-url URL [--embedding-provider tei|openai] [--embedding-model M]]
//                           [--word-vectors] [--rounds 20] [--out bench/results]
// With an embedding service, hybrid quality is reported next to keyword quality (OPENAI_API_KEY
// from the environment for openai); --word-vectors starts the offline stand-in of word-vectors.ts.
// Writes <out>/search-latest.json and <out>/search-latest.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { searchMany } from '../../src/search/bm25.js';
import { DEFAULT_RANKING } from '../../src/search/ranking-options.js';
import { CachedEmbedder } from '../../src/search/embeddings/cache.js';
import { createEmbeddingClient } from '../../src/search/embeddings/client.js';
import { ToolIndex } from '../../src/search/tool-index.js';
import { ToolSearch } from '../../src/search/tool-search.js';
import { advertised, loadServers, synthesize } from './catalog.js';
import { findToolLatency, rebuildTimes, sizes } from './perf.js';
import { measureQuality, type QualityReport } from './quality.js';
import { toMarkdown, type SearchReport } from './report.js';
import { TASKS } from './tasks.js';
import { startWordVectorService } from './word-vectors.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LIMIT = 8;

const { values: flags } = parseArgs({
  strict: true,
  options: {
    'embedding-url': { type: 'string' },
    'embedding-provider': { type: 'string', default: 'tei' },
    'embedding-model': { type: 'string' },
    'word-vectors': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '20' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results') },
  },
});

async function quality(index: ToolIndex): Promise<SearchReport['quality']> {
  const keyword = await measureQuality(TASKS, async (q) => searchMany([index], { description: q, limit: 10 }).map((h) => h.name));
  const noExpansion = await measureQuality(TASKS, async (q) =>
    searchMany([index], { description: q, limit: 10 }, { ...DEFAULT_RANKING, expansion: 'none' }).map((h) => h.name),
  );
  let hybrid: QualityReport | undefined;
  const local = flags['word-vectors'] ? await startWordVectorService() : undefined;
  const url = local?.url ?? flags['embedding-url'];
  if (url !== undefined) {
    const provider = flags['embedding-provider'] === 'openai' ? 'openai' : 'tei';
    const model = flags['embedding-model'];
    const client = createEmbeddingClient({ provider, url, ...(model ? { model } : {}), headers: {}, timeoutMs: 30_000 });
    const search = new ToolSearch({
      settings: { maxToolsToReturn: 10, hybridSearchSemanticRatio: 0.5, semanticDistanceThreshold: 1 },
      embedder: new CachedEmbedder(client),
    });
    if (!(await search.prepare(index))) throw new Error(`embedding service ${url} failed`);
    hybrid = await measureQuality(TASKS, async (q) => (await search.rank({ description: q }, { indexes: [index] }, 10)).names);
  }
  await local?.close();
  return { keyword, keyword_no_expansion: noExpansion, ...(hybrid ? { hybrid } : {}) };
}

async function main(): Promise<void> {
  const servers = loadServers();
  const real = advertised(servers);
  const index = new ToolIndex(real);
  const big = synthesize(real, 5000);
  const queries = TASKS.map((t) => t.query);
  const rounds = Number(flags.rounds);
  const report: SearchReport = {
    generated_at: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? '',
      loadavg_start: os.loadavg().map((x) => +x.toFixed(2)),
    },
    catalog: {
      servers: servers.map((s) => ({ server: s.server, package: `${s.package}@${s.version}`, tools: s.tools.length })),
      tools: real.length,
    },
    tasks: TASKS.length,
    quality: await quality(index),
    size: { real: await sizes(real, queries, LIMIT), synthetic_5000: await sizes(big, queries, LIMIT) },
    find_tool_latency_5000: await findToolLatency(big, queries, rounds),
    find_tool_latency_5000_view: await findToolLatency(big, queries, rounds, 'view'),
    index_5000: await rebuildTimes(
      big,
      servers.find((s) => s.server === 'github')!.tools.map((t) => ({ ...t, name: `github_${t.name}` })),
      queries,
      15,
    ),
    loadavg_end: os.loadavg().map((x) => +x.toFixed(2)),
  };
  fs.mkdirSync(flags.out, { recursive: true });
  fs.writeFileSync(path.join(flags.out, 'search-latest.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(flags.out, 'search-latest.md'), toMarkdown(report));
  process.stdout.write(toMarkdown(report));
}

await main();
