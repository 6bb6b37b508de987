// Runtime forms of parts of incomingAuth: API keys, ToolHive's type local and RFC 7662
// introspection (re-exported by types.ts, which stays small).
import type { Secret } from './secret.js';

export interface ApiKeyConfig {
  readonly name: string;
  /** Lower-case hex SHA-256 of the key (the key itself is never stored). */
  readonly sha256: string;
  readonly scopes: readonly string[];
}

/** ToolHive's `local`: every request is the OS user running vmcp (loopback only). */
export interface LocalIncomingAuth {
  readonly type: 'local';
  readonly allowRemoteAnonymous: false;
  /** The OS user name, read when the config is normalized. */
  readonly user: string;
  readonly apiKeys: readonly ApiKeyConfig[];
}

/** RFC 7662 token introspection for opaque (non-JWT) tokens: set when clientId and a secret are. */
export interface IntrospectionConfig {
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** Undefined: introspection_endpoint from the issuer's discovery document. */
  readonly url?: string;
}
