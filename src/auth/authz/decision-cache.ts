// Memoizes authorization decisions. A Cedar decision is a pure function of (principal entity,
// action, resource entity) once policies, static entities and context are fixed — Cedar has no
// clock or randomness — and each authorizer instance fixes all three, so caching cannot change
// an answer. It matters: one cedar-wasm call costs tens of µs (JS↔wasm marshalling) plus ~1.5 µs
// per policy, and a tools/list over 200 tools is 200 calls.
//
// Bounded by the total number of decisions; whole principals are evicted least-recently-used
// first, since a principal's decisions are used together (one list response).

export interface DecisionCacheOptions {
  /** Upper bound on cached decisions across all principals; 0 disables caching. */
  readonly maxEntries: number;
}

export const DEFAULT_DECISION_CACHE: DecisionCacheOptions = Object.freeze({ maxEntries: 50_000 });

export class DecisionCache<V> {
  readonly #maxEntries: number;
  /** principal fingerprint → (resource key → value); Map order = recency. */
  readonly #byPrincipal = new Map<string, Map<string, V>>();
  #size = 0;

  constructor(options: DecisionCacheOptions = DEFAULT_DECISION_CACHE) {
    this.#maxEntries = Math.max(0, Math.floor(options.maxEntries));
  }

  get size(): number {
    return this.#size;
  }

  get(principal: string, key: string): V | undefined {
    const decisions = this.#byPrincipal.get(principal);
    if (decisions === undefined) return undefined;
    this.#byPrincipal.delete(principal); // re-insert: most recently used goes last
    this.#byPrincipal.set(principal, decisions);
    return decisions.get(key);
  }

  set(principal: string, key: string, value: V): void {
    if (this.#maxEntries === 0) return;
    let decisions = this.#byPrincipal.get(principal);
    if (decisions === undefined) {
      decisions = new Map();
      this.#byPrincipal.set(principal, decisions);
    }
    if (!decisions.has(key)) this.#size++;
    decisions.set(key, value);
    this.#evict(principal);
  }

  /** Drops least-recently-used principals (never the one just written) until within bounds. */
  #evict(keep: string): void {
    for (const [principal, decisions] of this.#byPrincipal) {
      if (this.#size <= this.#maxEntries) return;
      if (principal === keep) continue;
      this.#byPrincipal.delete(principal);
      this.#size -= decisions.size;
    }
    const own = this.#byPrincipal.get(keep);
    if (this.#size > this.#maxEntries && own !== undefined) {
      this.#size -= own.size; // one principal alone outgrew the bound: start it afresh
      own.clear();
    }
  }
}
