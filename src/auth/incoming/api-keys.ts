// Static API keys for machine clients (issue 6 §1). The config holds only SHA-256 hashes; a
// presented key is hashed and compared with every configured hash in constant time
// (crypto.timingSafeEqual), without stopping at the first match, so neither the comparison nor
// the loop tells an attacker how close a guess was or which entry it hit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../../config/types.js';
import type { Principal } from '../types.js';

export function sha256Hex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyStore {
  readonly #entries: readonly { readonly hash: Buffer; readonly config: ApiKeyConfig }[];

  constructor(keys: readonly ApiKeyConfig[]) {
    this.#entries = keys.map((config) => ({ hash: Buffer.from(config.sha256, 'hex'), config }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The key's principal, or undefined when no configured hash matches. */
  match(presented: string): Principal | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiKeyConfig | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(digest, entry.hash) && found === undefined) found = entry.config;
    }
    if (found === undefined) return undefined;
    return Object.freeze({ kind: 'api-key', subject: found.name, scopes: Object.freeze([...found.scopes]), claims: Object.freeze({}) });
  }
}
