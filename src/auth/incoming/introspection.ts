// RFC 7662 token introspection for opaque (non-JWT) bearer tokens, used when
// `incomingAuth.oidc.clientId` and a client secret are configured (ToolHive's meaning of those
// keys). The gateway authenticates to the introspection endpoint with client_secret_basic
// (RFC 7662 §2.1 requires the caller to be authorized) and accepts a token only when the answer is
// `active: true` and the same rules as for a JWT hold: `iss` (when given) is the issuer, `aud`
// contains the audience (audience binding, RFC 8707 — required, so a token for another service
// is refused), not expired, and the required scopes are present.
//
// Answers are cached per token hash until min(exp, 30 s), at most 1024 entries (oldest evicted):
// a client sending the same token on every request does not cost one IdP round trip each, and a
// revoked token stops working within 30 s.
import { createHash } from 'node:crypto';
import type { IntrospectionConfig, OidcIncomingAuth } from '../../config/types.js';
import type { Principal } from '../types.js';
import { AuthError } from './auth-error.js';
import { assertSecureUrl, discoverEndpoint } from './discovery.js';
import { scopesOf } from './jwt.js';

export const INTROSPECTION_CACHE_ENTRIES = 1024;
export const INTROSPECTION_CACHE_TTL_MS = 30_000;
const MAX_TOKEN_LENGTH = 16 * 1024;

export type IntrospectorConfig = Pick<OidcIncomingAuth, 'issuer' | 'audience' | 'scopes' | 'clockSkewMs' | 'insecureAllowHttp'> & {
  readonly introspection: IntrospectionConfig;
};

export interface IntrospectorOptions {
  readonly fetch?: typeof fetch;
  /** Per request to the IdP (default 5 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

interface Cached {
  readonly principal: Principal;
  readonly until: number;
}

export class TokenIntrospector {
  readonly #cfg: IntrospectorConfig;
  readonly #opts: IntrospectorOptions;
  readonly #closing = new AbortController();
  readonly #cache = new Map<string, Cached>();
  #endpoint: Promise<string> | undefined;

  constructor(cfg: IntrospectorConfig, opts: IntrospectorOptions = {}) {
    this.#cfg = cfg;
    this.#opts = opts;
  }

  async verify(token: string): Promise<Principal> {
    if (this.#closing.signal.aborted) throw new AuthError('temporarily_unavailable', 'the gateway is shutting down');
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('invalid_token', 'token is too long');
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.#now();
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.until > now) return hit.principal;
    this.#cache.delete(key);
    const answer = await this.#introspect(token);
    const principal = this.#check(answer, token, now);
    this.#remember(key, principal, now);
    return principal;
  }

  close(): void {
    this.#closing.abort();
    this.#cache.clear();
  }

  #now(): number {
    return this.#opts.now?.() ?? Date.now();
  }

  #remember(key: string, principal: Principal, now: number): void {
    const exp = principal.expiresAt === undefined ? Infinity : principal.expiresAt * 1000;
    if (this.#cache.size >= INTROSPECTION_CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, { principal, until: Math.min(exp, now + INTROSPECTION_CACHE_TTL_MS) });
  }

  async #introspect(token: string): Promise<Record<string, unknown>> {
    const url = await this.#url();
    const { clientId, clientSecret } = this.#cfg.introspection;
    // RFC 6749 §2.3.1: form-encode id and secret, then base64.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret.reveal())}`).toString('base64');
    const signal = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#opts.timeoutMs ?? 5000)]);
    let res: Response;
    try {
      res = await (this.#opts.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal,
      });
    } catch (e) {
      throw unavailable(e);
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok || typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw unavailable(new Error(`introspection endpoint answered HTTP ${res.status}`));
    }
    return body as Record<string, unknown>;
  }

  #url(): Promise<string> {
    const configured = this.#cfg.introspection.url;
    this.#endpoint ??= (async () => {
      const url =
        configured ??
        (await discoverEndpoint(this.#cfg.issuer, 'introspection_endpoint', {
          fetch: this.#opts.fetch ?? fetch,
          signal: this.#closing.signal,
          timeoutMs: this.#opts.timeoutMs ?? 5000,
          insecureAllowHttp: this.#cfg.insecureAllowHttp,
        }));
      assertSecureUrl(url, this.#cfg.insecureAllowHttp);
      return url;
    })().catch((e: unknown) => {
      this.#endpoint = undefined; // retry on the next request
      throw e instanceof AuthError ? e : unavailable(e);
    });
    return this.#endpoint;
  }

  /** RFC 7662 §2.2 answer → Principal, with the resource server's own checks. */
  #check(a: Record<string, unknown>, token: string, now: number): Principal {
    if (a.active !== true) throw new AuthError('invalid_token', 'token is not active (introspection)');
    if (a.iss !== undefined && a.iss !== this.#cfg.issuer) throw new AuthError('invalid_token', `token issuer is not ${this.#cfg.issuer}`);
    const aud = typeof a.aud === 'string' ? [a.aud] : Array.isArray(a.aud) ? a.aud : [];
    if (!aud.includes(this.#cfg.audience)) throw new AuthError('invalid_token', `token audience does not include ${this.#cfg.audience}`);
    const skew = this.#cfg.clockSkewMs;
    if (typeof a.exp === 'number' && a.exp * 1000 + skew <= now) throw new AuthError('invalid_token', 'token expired');
    if (typeof a.nbf === 'number' && a.nbf * 1000 - skew > now) throw new AuthError('invalid_token', 'token is not valid yet (nbf)');
    const scopes = scopesOf(a);
    const missing = this.#cfg.scopes.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      throw new AuthError('insufficient_scope', `token is missing required scope ${missing.join(', ')}`, {
        requiredScopes: this.#cfg.scopes,
      });
    }
    return principalOf(a, scopes, token, this.#cfg.issuer);
  }
}

function principalOf(a: Record<string, unknown>, scopes: string[], token: string, issuer: string): Principal {
  // A client_credentials token has no end user: its subject is the client (RFC 7662 §2.2 client_id).
  const subject = [a.sub, a.username, a.client_id].find((v) => typeof v === 'string' && v !== '');
  if (subject === undefined) throw new AuthError('invalid_token', 'introspection names no subject (sub, username or client_id)');
  const principal = {
    kind: 'oidc' as const,
    subject: String(subject),
    issuer: typeof a.iss === 'string' ? a.iss : issuer,
    scopes: Object.freeze(scopes),
    claims: Object.freeze({ ...a }),
    ...(typeof a.exp === 'number' ? { expiresAt: a.exp } : {}),
  };
  // As for JWTs: the raw token is a secret, never enumerable.
  Object.defineProperty(principal, 'token', { value: token, enumerable: false });
  return Object.freeze(principal) as Principal;
}

function unavailable(e: unknown): AuthError {
  return new AuthError('temporarily_unavailable', 'cannot verify tokens right now: the token introspection endpoint is unavailable', {
    cause: e,
  });
}
