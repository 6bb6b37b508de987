// Verifies OAuth 2.1 bearer tokens that are JWTs (RFC 9068 access tokens and their IdP-specific
// cousins) for the gateway as a resource server: signature against the issuer's JWKS, then
// `iss`, `aud` (must contain the gateway's resource URL — RFC 8707 audience binding, which is
// what stops a token minted for another service from being replayed here), `exp`/`nbf` with a
// small clock skew, and the required scopes.
//
// The JWKS comes from jose's createRemoteJWKSet: it caches keys (10 min) and refetches when a
// token names an unknown `kid` (key rotation), at most once per cooldown (30 s by default, so a
// flood of made-up kids cannot turn into a flood of requests to the IdP). The discovery document
// is fetched once and cached; a failed fetch is retried on the next request.
import * as jose from 'jose';
import type { OidcIncomingAuth } from '../../config/types.js';
import type { Principal } from '../types.js';
import { AuthError } from './auth-error.js';
import { assertSecureUrl, discoverJwksUri } from './discovery.js';

export type OidcVerifierConfig = Pick<OidcIncomingAuth, 'issuer' | 'audience' | 'scopes' | 'clockSkewMs' | 'insecureAllowHttp'> & {
  readonly jwksUrl?: string;
};

export interface OidcVerifierOptions {
  /** For discovery and JWKS requests (default globalThis.fetch). */
  readonly fetch?: typeof fetch;
  /** Minimum time between JWKS refetches caused by an unknown kid (default 30 s). */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are trusted before a refetch (default 10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Per request to the IdP (default 5 s). */
  readonly timeoutMs?: number;
  /** Epoch milliseconds (tests). */
  readonly now?: () => number;
}

// Asymmetric algorithms only: with a public key set, an HMAC "alg" would be a key-confusion attack.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** Far above any real access token; bounds the work an anonymous request can cause. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Three base64url segments: what verify() accepts; anything else is an opaque token. */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

export class OidcVerifier {
  readonly #cfg: OidcVerifierConfig;
  readonly #fetch: typeof fetch;
  readonly #opts: OidcVerifierOptions;
  readonly #closing = new AbortController();
  #keys: Promise<jose.JWTVerifyGetKey> | undefined;

  constructor(cfg: OidcVerifierConfig, opts: OidcVerifierOptions = {}) {
    this.#cfg = cfg;
    this.#opts = opts;
    const base = opts.fetch ?? globalThis.fetch;
    // Every request to the IdP is cut short by close().
    this.#fetch = (input, init) => base(input, { ...init, signal: withClose(init?.signal, this.#closing.signal) });
  }

  /** The verified caller; throws AuthError (401 invalid_token, 403 insufficient_scope, 503). */
  async verify(token: string): Promise<Principal> {
    if (this.#closing.signal.aborted) throw new AuthError('temporarily_unavailable', 'the gateway is shutting down');
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw new AuthError('invalid_token', 'token is malformed (not a JWT)');
    const keys = await this.#keySet();
    let payload: jose.JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, keys, {
        issuer: this.#cfg.issuer,
        audience: this.#cfg.audience,
        algorithms: ALGORITHMS,
        clockTolerance: Math.round(this.#cfg.clockSkewMs / 1000),
        requiredClaims: ['exp', 'sub'],
        ...(this.#opts.now === undefined ? {} : { currentDate: new Date(this.#opts.now()) }),
      }));
    } catch (e) {
      throw this.#mapError(e);
    }
    const scopes = scopesOf(payload);
    const missing = this.#cfg.scopes.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      throw new AuthError('insufficient_scope', `token is missing required scope ${missing.join(', ')}`, {
        requiredScopes: this.#cfg.scopes,
      });
    }
    return principalOf(payload, scopes, token);
  }

  /** Idempotent: aborts requests to the IdP in flight; later verify() calls fail with 503. */
  close(): void {
    this.#closing.abort();
  }

  #keySet(): Promise<jose.JWTVerifyGetKey> {
    this.#keys ??= this.#createKeySet().catch((e: unknown) => {
      this.#keys = undefined; // retry discovery on the next request
      throw e instanceof AuthError ? e : unavailable(e);
    });
    return this.#keys;
  }

  async #createKeySet(): Promise<jose.JWTVerifyGetKey> {
    const timeoutMs = this.#opts.timeoutMs ?? 5000;
    const url =
      this.#cfg.jwksUrl ??
      (await discoverJwksUri(this.#cfg.issuer, {
        fetch: this.#fetch,
        signal: this.#closing.signal,
        timeoutMs,
        insecureAllowHttp: this.#cfg.insecureAllowHttp,
      }));
    assertSecureUrl(url, this.#cfg.insecureAllowHttp);
    return jose.createRemoteJWKSet(new URL(url), {
      timeoutDuration: timeoutMs,
      cooldownDuration: this.#opts.jwksCooldownMs ?? 30_000,
      cacheMaxAge: this.#opts.jwksCacheMaxAgeMs ?? 600_000,
      [jose.customFetch]: (u, init) => this.#fetch(u, init),
    });
  }

  #mapError(e: unknown): AuthError {
    if (e instanceof AuthError) return e;
    const code = (e as { code?: unknown }).code;
    switch (code) {
      case 'ERR_JWT_EXPIRED':
        return new AuthError('invalid_token', 'token expired');
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        return new AuthError('invalid_token', this.#claimProblem(e as jose.errors.JWTClaimValidationFailed));
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return new AuthError('invalid_token', 'token signature is invalid');
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return new AuthError('invalid_token', 'token is signed with a key the issuer does not publish (unknown kid): bad signature');
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return new AuthError('invalid_token', 'token names no kid and several issuer keys match');
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return new AuthError('invalid_token', 'token is malformed');
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        return new AuthError('invalid_token', 'token uses a signing algorithm that is not accepted');
      default:
        return unavailable(e);
    }
  }

  #claimProblem(e: jose.errors.JWTClaimValidationFailed): string {
    if (e.reason === 'missing') return `token has no ${e.claim} claim`;
    switch (e.claim) {
      case 'iss':
        return `token issuer is not ${this.#cfg.issuer}`;
      case 'aud':
        return `token audience does not include ${this.#cfg.audience}`;
      case 'nbf':
        return 'token is not valid yet (nbf)';
      case 'iat':
        return 'token is issued in the future (iat)';
      default:
        return `token claim ${e.claim} is invalid`;
    }
  }
}

/** Network trouble, a JWKS that is not JSON, a timeout: the IdP's fault, not the caller's. */
function unavailable(e: unknown): AuthError {
  return new AuthError('temporarily_unavailable', "cannot verify tokens right now: the identity provider's keys are unavailable", {
    cause: e,
  });
}

/** RFC 8693 §4.2 / RFC 9068 `scope` (space-separated); Entra and Okta use `scp` (string or list). */
export function scopesOf(payload: jose.JWTPayload): string[] {
  const out = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const list = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const s of list) if (typeof s === 'string' && s !== '') out.add(s);
  }
  return [...out];
}

function principalOf(payload: jose.JWTPayload, scopes: string[], token: string): Principal {
  const principal = {
    kind: 'oidc' as const,
    subject: String(payload.sub),
    issuer: String(payload.iss),
    scopes: Object.freeze(scopes),
    claims: Object.freeze({ ...payload }),
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
  };
  // The raw token is a secret: non-enumerable, so JSON.stringify, spreads and console.log of a
  // principal never carry it; outgoing token exchange reads `principal.token` explicitly.
  Object.defineProperty(principal, 'token', { value: token, enumerable: false });
  return Object.freeze(principal) as Principal;
}

function withClose(signal: AbortSignal | null | undefined, closing: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, closing]) : closing;
}
