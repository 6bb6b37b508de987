import { DEFAULT_RANKING, searchMany, type RankingOptions } from '../../src/search/bm25.js';
import { ToolIndex } from '../../src/search/tool-index.js';
import { advertised, loadServers } from './catalog.js';
import { measureQuality } from './quality.js';
import { TASKS } from './tasks.js';
const index = new ToolIndex(advertised(loadServers()));
const variants: Record<string, unknown>[] = JSON.parse(process.env.V ?? '[{}]');
for (const v of variants) {
  const ranking = { ...DEFAULT_RANKING, ...v, weights: { ...DEFAULT_RANKING.weights, ...(v.weights as object) }, b: { ...DEFAULT_RANKING.b, ...(v.b as object) } } as RankingOptions;
  const r = await measureQuality(process.argv[3] === 'even' ? TASKS.filter((_, i) => i % 2 === 0) : TASKS, async (q) => searchMany([index], { description: q, limit: 10 }, ranking).map((h) => h.name));
  console.log(JSON.stringify(v), 'all', r.all.recall_at_1, r.all.recall_at_5, r.all.mrr, '| even', r.even.recall_at_1, r.even.recall_at_5, '| odd', r.odd.recall_at_1, r.odd.recall_at_5);
  if (process.argv[2] === 'm') for (const m of r.misses) console.log(`${m.rank ?? '-'}\t${m.query}\t=> ${m.expected}\t got ${m.got.join(', ')}`);
}
