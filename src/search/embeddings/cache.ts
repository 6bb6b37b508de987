// Embeddings cached by sha256(model identity + text), shared by every session of the process, so
// a tool's text is embedded once however many sessions or index rebuilds see it. LRU, bounded by
// bytes; a text in flight is requested once even when several callers want it at the same time.
import { createHash } from 'node:crypto';
import type { EmbeddingClient } from './client.js';

/** 64 MiB: ~44,000 vectors of 384 dimensions (bge-small), ~11,000 of 1536 (text-embedding-3-small). */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class CachedEmbedder {
  readonly #client: EmbeddingClient;
  readonly #maxBytes: number;
  readonly #vectors = new Map<string, Float32Array>();
  readonly #inFlight = new Map<string, Promise<Float32Array>>();
  #bytes = 0;

  constructor(client: EmbeddingClient, maxBytes = DEFAULT_CACHE_BYTES) {
    this.#client = client;
    this.#maxBytes = maxBytes;
  }

  get identity(): string {
    return this.#client.identity;
  }

  /** Cached entries (for tests and metrics). */
  get size(): number {
    return this.#vectors.size;
  }

  /** Unit-length vectors, one per text; only texts not cached (nor in flight) go to the service. */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const keys = texts.map((text) => this.#key(text));
    const missing = new Map<string, string>();
    keys.forEach((key, i) => {
      if (!this.#vectors.has(key) && !this.#inFlight.has(key)) missing.set(key, texts[i]!);
    });
    if (missing.size > 0) this.#fetch(missing, signal);
    return Promise.all(keys.map((key) => this.#get(key)));
  }

  #fetch(missing: Map<string, string>, signal?: AbortSignal): void {
    const batch = this.#client.embed([...missing.values()], signal).then((vectors) => vectors.map(unit));
    [...missing.keys()].forEach((key, i) => {
      // Settled inside the same handler callers continue from, so a caller that saw the failure
      // and asks again finds no stale in-flight entry.
      const one = batch.then(
        (vectors) => {
          this.#inFlight.delete(key);
          this.#store(key, vectors[i]!);
          return vectors[i]!;
        },
        (err: unknown) => {
          this.#inFlight.delete(key);
          throw err;
        },
      );
      one.catch(() => {}); // awaited by the callers; never an unhandled rejection
      this.#inFlight.set(key, one);
    });
  }

  async #get(key: string): Promise<Float32Array> {
    const cached = this.#vectors.get(key);
    if (cached !== undefined) {
      this.#vectors.delete(key); // refresh its LRU position
      this.#vectors.set(key, cached);
      return cached;
    }
    return this.#inFlight.get(key)!;
  }

  #store(key: string, vector: Float32Array): void {
    if (this.#vectors.has(key)) return;
    this.#vectors.set(key, vector);
    this.#bytes += vector.byteLength;
    for (const [oldest, old] of this.#vectors) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#vectors.delete(oldest);
      this.#bytes -= old.byteLength;
    }
  }

  #key(text: string): string {
    return createHash('sha256').update(this.#client.identity).update('\0').update(text).digest('hex');
  }
}

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}
