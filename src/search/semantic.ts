// The semantic arm: cosine distance between the query's embedding and each allowed tool's, cut at
// semanticDistanceThreshold (0 identical, 1 unrelated, 2 opposite). Vectors are unit length, so
// cosine similarity is a dot product.
import type { SearchHit } from './bm25.js';
import type { ToolDefinition } from './tool-definition.js';
import type { ToolIndex } from './tool-index.js';

/** What is embedded for a tool: ToolHive's text (toolstore embeddedText), so vectors mean the same. */
export function embeddingText(tool: ToolDefinition): string {
  return `name: ${tool.name} description: ${tool.description ?? ''}`;
}

export interface VectorShard {
  readonly index: ToolIndex;
  /** Aligned with index.names(). */
  readonly names: readonly string[];
  readonly vectors: readonly Float32Array[];
}

export interface SemanticRequest {
  readonly limit: number;
  readonly threshold: number;
  readonly allow?: (name: string) => boolean;
}

/** Nearest tools first; `score` is the cosine distance. */
export function nearest(shards: readonly VectorShard[], query: Float32Array, request: SemanticRequest): SearchHit[] {
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  for (const shard of shards) {
    shard.names.forEach((name, d) => {
      const vector = shard.vectors[d];
      if (vector === undefined || vector.length !== query.length || seen.has(name)) return;
      if (request.allow !== undefined && !request.allow(name)) return;
      const distance = 1 - dot(query, vector);
      if (distance > request.threshold) return;
      seen.add(name);
      hits.push({ name, score: distance });
    });
  }
  hits.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1));
  return hits.slice(0, Math.max(0, request.limit));
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Reciprocal-rank-fusion constant (Cormack, Clarke & Büttcher, SIGIR 2009). */
export const RRF_K = 60;

/**
 * Hybrid merge. Which tools: `semanticSlots` of the `limit` go to the semantic arm's best and the
 * rest to the keyword arm's (ToolHive's split); an arm that finds fewer leaves its slots to the
 * other, and a tool both arms found takes one slot. In which order: by reciprocal rank fusion
 * weighted with the same ratio, ratio/(k + semantic rank) + (1 − ratio)/(k + keyword rank), so
 * a tool both arms rank well comes first and neither arm's first guess wins by position alone
 * (ToolHive lists all semantic results first, which a weak embedding model turns into a wrong
 * first answer). Ties go to the keyword arm's order.
 */
export function mergeHybrid(semantic: readonly SearchHit[], keyword: readonly SearchHit[], semanticSlots: number, limit: number): string[] {
  const chosen: string[] = [];
  const seen = new Set<string>();
  const take = (hits: readonly SearchHit[], max: number): void => {
    for (const hit of hits) {
      if (chosen.length >= max) return;
      if (seen.has(hit.name)) continue;
      seen.add(hit.name);
      chosen.push(hit.name);
    }
  };
  take(semantic, Math.min(semanticSlots, limit));
  take(keyword, limit);
  take(semantic, limit);
  const ratio = limit === 0 ? 0 : Math.min(semanticSlots, limit) / limit;
  const rankIn = (hits: readonly SearchHit[]): Map<string, number> => new Map(hits.map((h, i) => [h.name, i + 1]));
  const sem = rankIn(semantic);
  const kw = rankIn(keyword);
  const fused = (name: string): number => {
    const s = sem.get(name);
    const k = kw.get(name);
    return (s === undefined ? 0 : ratio / (RRF_K + s)) + (k === undefined ? 0 : (1 - ratio) / (RRF_K + k));
  };
  const order = (name: string): number => kw.get(name) ?? keyword.length + (sem.get(name) ?? 0);
  return chosen.sort((a, b) => fused(b) - fused(a) || order(a) - order(b));
}
