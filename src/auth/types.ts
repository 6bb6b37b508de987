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
  /**
   * The configured `passthroughHeaders` this request carried (lower-case names), copied to every
   * HTTP backend request made for this caller. Not identity: it only selects backend sessions.
   */
  readonly forwarded?: Readonly<Record<string, string>>;
}

/**
 * Which backend sessions a caller may share: one per user (issuer + subject) and set of passed-through
 * header values, so two callers with different values never share one.
 */
export function callerKey(principal: Principal): string {
  const base = `${principal.issuer ?? ''}\u0000${principal.subject}`;
  const fwd = principal.forwarded;
  if (!fwd || Object.keys(fwd).length === 0) return base;
  return `${base}\u0000${JSON.stringify(Object.entries(fwd).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

export function hasForwarded(principal: Principal | undefined): boolean {
  return principal?.forwarded !== undefined && Object.keys(principal.forwarded).length > 0;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', subject: 'anonymous', scopes: [], claims: {} });

// Secret lives in config/ (a leaf, where secrets are read) and is re-exported here as part of
// the identity vocabulary.
export { Secret } from '../config/secret.js';
