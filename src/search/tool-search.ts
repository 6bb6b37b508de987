// The search service the gateway holds: keyword ranking over one or more indexes, made hybrid by
// an embedding service when one is configured. The service's failure never fails a search: the
// search answers from keywords, a warning is published on channels.warning, and embedding calls
// pause for RETRY_AFTER_MS so a dead service does not add its timeout to every find_tool.
import type { Env, OptimizerConfig } from '../config/index.js';
import { channels, publish } from '../observability/channels.js';
import { searchMany, type SearchHit } from './bm25.js';
import { DEFAULT_RANKING, type RankingOptions } from './ranking-options.js';
import { CachedEmbedder } from './embeddings/cache.js';
import { createEmbeddingClient } from './embeddings/client.js';
import { findToolOutput, type FindToolArgs, type FindToolOutput } from './find-tool.js';
import type { QueryText } from './query.js';
import { embeddingText, mergeHybrid, nearest, type VectorShard } from './semantic.js';
import type { ToolIndex } from './tool-index.js';

/** After an embedding failure, searches are keyword-only for this long before the service is tried again. */
export const RETRY_AFTER_MS = 30_000;

export type SearchSettings = Pick<OptimizerConfig, 'maxToolsToReturn' | 'hybridSearchSemanticRatio' | 'semanticDistanceThreshold'>;

export interface ToolSearchOptions {
  readonly settings: SearchSettings;
  /** Absent: keyword search only. */
  readonly embedder?: CachedEmbedder;
  readonly ranking?: RankingOptions;
  readonly now?: () => number;
}

/** What one caller may search: the indexes of its view, and the names it may list. */
export interface SearchScope {
  readonly indexes: readonly ToolIndex[];
  readonly allow?: (name: string) => boolean;
}

export type SearchArm = 'keyword' | 'hybrid';

export interface RankedNames {
  readonly names: readonly string[];
  /** Which ranking produced them (hybrid degrades to keyword while the service is failing). */
  readonly arm: SearchArm;
}

export class ToolSearch {
  readonly #settings: SearchSettings;
  readonly #embedder: CachedEmbedder | undefined;
  readonly #ranking: RankingOptions;
  readonly #now: () => number;
  readonly #vectors = new WeakMap<ToolIndex, VectorShard>();
  #pausedUntil = 0;

  constructor(options: ToolSearchOptions) {
    this.#settings = options.settings;
    this.#embedder = options.embedder;
    this.#ranking = options.ranking ?? DEFAULT_RANKING;
    this.#now = options.now ?? Date.now;
  }

  /** Embed an index's tools ahead of its first search (hybrid only). Resolves false, with a warning, on failure. */
  async prepare(index: ToolIndex, signal?: AbortSignal): Promise<boolean> {
    if (this.#embedder === undefined) return true;
    try {
      await this.#shard(index, this.#embedder, signal);
      return true;
    } catch (err) {
      this.#failed(err);
      return false;
    }
  }

  /** Ranked tool names for a query, at most `limit` (default maxToolsToReturn). */
  async rank(query: QueryText, scope: SearchScope, limit = this.#settings.maxToolsToReturn, signal?: AbortSignal): Promise<RankedNames> {
    const keyword = searchMany(scope.indexes, { ...query, limit, ...(scope.allow ? { allow: scope.allow } : {}) }, this.#ranking);
    const semanticSlots = Math.round(limit * this.#settings.hybridSearchSemanticRatio);
    const embedder = this.#embedder;
    if (embedder === undefined || semanticSlots === 0 || this.#now() < this.#pausedUntil)
      return { names: keyword.map((h) => h.name), arm: 'keyword' };
    try {
      const semantic = await this.#semantic(embedder, query.description, scope, semanticSlots, signal);
      return { names: mergeHybrid(semantic, keyword, semanticSlots, limit), arm: 'hybrid' };
    } catch (err) {
      // A caller that gave up is no sign of a failing service.
      if (signal?.aborted !== true) this.#failed(err);
      return { names: keyword.map((h) => h.name), arm: 'keyword' };
    }
  }

  /** find_tool: ranked full definitions plus token metrics against everything the caller could list. */
  async findTool(args: FindToolArgs, scope: SearchScope, signal?: AbortSignal): Promise<FindToolOutput & { arm: SearchArm }> {
    const ranked = await this.rank(args, scope, this.#settings.maxToolsToReturn, signal);
    return { ...findToolOutput(scope.indexes, ranked.names, scope.allow), arm: ranked.arm };
  }

  async #semantic(embedder: CachedEmbedder, text: string, scope: SearchScope, limit: number, signal?: AbortSignal): Promise<SearchHit[]> {
    // Settled together: a failed search leaves no request of its own running for the next one to join.
    const settled = await Promise.allSettled([
      embedder.embed([text], signal),
      ...scope.indexes.map((i) => this.#shard(i, embedder, signal)),
    ]);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [query, ...shards] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value);
    const request = { limit, threshold: this.#settings.semanticDistanceThreshold, ...(scope.allow ? { allow: scope.allow } : {}) };
    return nearest(shards as VectorShard[], (query as Float32Array[])[0]!, request);
  }

  async #shard(index: ToolIndex, embedder: CachedEmbedder, signal?: AbortSignal): Promise<VectorShard> {
    const known = this.#vectors.get(index);
    if (known !== undefined) return known;
    const names = index.names();
    const vectors = await embedder.embed(
      names.map((name) => embeddingText(index.get(name)!)),
      signal,
    );
    const shard = { index, names, vectors };
    this.#vectors.set(index, shard);
    return shard;
  }

  #failed(err: unknown): void {
    this.#pausedUntil = this.#now() + RETRY_AFTER_MS;
    const reason = err instanceof Error ? err.message : String(err);
    publish(channels.warning, {
      source: 'search',
      message: `embedding service failed (${reason}); find_tool uses keyword search only for the next ${RETRY_AFTER_MS / 1000}s`,
    });
  }
}

/** The search service for a config: hybrid when it names an embedding service (OPENAI_API_KEY read from `env`). */
export function createToolSearch(config: OptimizerConfig, env: Env = process.env): ToolSearch {
  const embedder = config.embedding === undefined ? undefined : new CachedEmbedder(createEmbeddingClient(config.embedding, env));
  return new ToolSearch({ settings: config, ...(embedder === undefined ? {} : { embedder }) });
}
