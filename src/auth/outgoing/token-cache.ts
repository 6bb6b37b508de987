// Tokens cached until shortly before they expire, one fetch in flight per key (single-flight: a
// burst of concurrent calls does one exchange), bounded in size. Keys never contain raw tokens.
import type { TokenResponse } from './token-endpoint.js';

export interface TokenCacheOptions {
  /** Refresh this long before expiry (default 60s, at most half the lifetime). */
  skewMs?: number;
  /** Tokens without expires_in are kept this long (default 5 min). */
  defaultTtlMs?: number;
  maxEntries?: number;
  clock?: { now(): number };
}

interface Entry {
  token: string;
  refreshAt: number;
}

export class TokenCache {
  #entries = new Map<string, Entry>();
  #inflight = new Map<string, Promise<string>>();
  #skewMs: number;
  #defaultTtlMs: number;
  #max: number;
  #clock: { now(): number };

  constructor(opts: TokenCacheOptions = {}) {
    this.#skewMs = opts.skewMs ?? 60_000;
    this.#defaultTtlMs = opts.defaultTtlMs ?? 300_000;
    this.#max = opts.maxEntries ?? 10_000;
    this.#clock = opts.clock ?? { now: () => Date.now() };
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(key: string, fetchToken: () => Promise<TokenResponse>): Promise<string> {
    const hit = this.#entries.get(key);
    if (hit && hit.refreshAt > this.#clock.now()) return hit.token;
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const next = this.#fetch(key, fetchToken).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, next);
    return next;
  }

  /** Forget a token the backend rejected, so the next call fetches a fresh one. */
  invalidate(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  async #fetch(key: string, fetchToken: () => Promise<TokenResponse>): Promise<string> {
    const started = this.#clock.now();
    const { accessToken, expiresAt } = await fetchToken();
    const lifetime = (expiresAt ?? started + this.#defaultTtlMs) - started;
    const refreshAt = started + Math.max(0, lifetime - Math.min(this.#skewMs, lifetime / 2));
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { token: accessToken, refreshAt });
    return accessToken;
  }
}
