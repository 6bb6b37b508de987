// Identity vocabulary shared by incoming auth, outgoing auth and authorization.

/** Who is calling, as established by incoming auth. Never logged whole: `token` is a secret. */
export interface Principal {
  readonly kind: 'anonymous' | 'oidc' | 'api-key' | 'local';
  /** `sub` for OIDC, the key's name for API keys, the OS user for local, "anonymous" otherwise. */
  readonly subject: string;
  readonly issuer?: string;
  readonly scopes: readonly string[];
  /** Verified token claims (OIDC) or {} — used by authorization policies. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The raw bearer token (OIDC only): the subject token for token exchange. A secret. */
  readonly token?: string;
  /** Epoch seconds when the token expires (OIDC only). */
  readonly expiresAt?: number;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', subject: 'anonymous', scopes: [], claims: {} });

// Secret lives in config/ (a leaf, where secrets are read) and is re-exported here as part of
// the identity vocabulary.
export { Secret } from '../config/secret.js';
