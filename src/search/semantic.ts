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

/**
 * Hybrid merge: `semanticSlots` of the `limit` go to the semantic arm and the rest to the
 * keyword arm; an arm that finds fewer leaves its slots to the other, and a tool both arms found
 * takes one slot. Semantic results come first, as in ToolHive (toolstore mergeResults).
 */
export function mergeHybrid(semantic: readonly SearchHit[], keyword: readonly SearchHit[], semanticSlots: number, limit: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const take = (hits: readonly SearchHit[], max: number): void => {
    for (const hit of hits) {
      if (out.length >= max) return;
      if (seen.has(hit.name)) continue;
      seen.add(hit.name);
      out.push(hit.name);
    }
  };
  take(semantic, Math.min(semanticSlots, limit));
  take(keyword, limit);
  take(semantic, limit);
  return out;
}
