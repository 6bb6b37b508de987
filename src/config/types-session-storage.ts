// Runtime form of `sessionStorage:` (normalize-session-storage.ts).
import type { Secret } from './secret.js';

export type SessionStorageProvider = 'memory' | 'redis';

export interface RedisStorageConfig {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly keyPrefix: string;
  /** Read from the environment at load time; absent = no AUTH. */
  readonly password?: Secret;
}

export interface SessionStorageConfig {
  readonly provider: SessionStorageProvider;
  /** Present for provider redis. */
  readonly redis?: RedisStorageConfig;
}
