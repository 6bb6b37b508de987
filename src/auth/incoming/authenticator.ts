// Incoming authentication for the HTTP edge: request headers in, a Principal or a ready-made
// HTTP error out. The edge never needs to know OAuth:
//
//   const auth = createAuthenticator(config);
//   const outcome = await auth.authenticate(req.headers);
//   if (!outcome.ok) return reply(outcome.status, outcome.headers, outcome.body);
//   ... outcome.principal ...
//   auth.protectedResource   // RFC 9728 document + paths to serve it at (oidc only)
//   auth.close();            // on shutdown
//
// Rules (issue 6 §1; RFC 6750; MCP authorization spec):
// - anonymous: every request is ANONYMOUS. With apiKeys configured, a request that presents a
//   key must present a valid one (a wrong key is refused, never silently downgraded).
// - oidc: a bearer token is required; API keys are accepted too when configured. One credential
//   per request (RFC 6750 §2). A missing credential gets 401 with the metadata URL and no error
//   code; a bad one 401 invalid_token; a missing scope 403 insufficient_scope; an unreachable IdP 503.
import type { IncomingAuthConfig } from '../../config/types.js';
import { ANONYMOUS } from '../types.js';
import type { Principal } from '../types.js';
import { ApiKeyStore } from './api-keys.js';
import { AuthError } from './auth-error.js';
import type { AuthErrorStatus } from './auth-error.js';
import { bearerChallenge } from './challenge.js';
import { TokenIntrospector } from './introspection.js';
import type { IntrospectorOptions } from './introspection.js';
import { looksLikeJwt, OidcVerifier } from './jwt.js';
import type { OidcVerifierOptions } from './jwt.js';
import { metadataPaths, metadataUrl, protectedResourceMetadata } from './metadata.js';
import type { ProtectedResourceMetadata } from './metadata.js';

export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AuthFailure {
  readonly ok: false;
  readonly status: AuthErrorStatus;
  /** `WWW-Authenticate` (and nothing else the edge must interpret). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: string; readonly error_description: string };
}

export type AuthOutcome = { readonly ok: true; readonly principal: Principal } | AuthFailure;

export interface ProtectedResource {
  /** Advertised in `WWW-Authenticate: Bearer resource_metadata="…"`. */
  readonly metadataUrl: string;
  /** Request paths that must answer GET with `document` as JSON (path-suffixed form first). */
  readonly paths: readonly string[];
  readonly document: ProtectedResourceMetadata;
}

export interface Authenticator {
  readonly type: IncomingAuthConfig['type'];
  authenticate(headers: IncomingHeaders): Promise<AuthOutcome>;
  /** Present for oidc: the RFC 9728 metadata the edge serves. */
  readonly protectedResource?: ProtectedResource;
  /** Idempotent; aborts requests to the IdP in flight. */
  close(): void;
}

export interface AuthenticatorOptions {
  readonly verifier?: OidcVerifierOptions;
  readonly introspector?: IntrospectorOptions;
}

export function createAuthenticator(
  config: { readonly name: string; readonly incomingAuth: IncomingAuthConfig },
  opts: AuthenticatorOptions = {},
): Authenticator {
  const auth = config.incomingAuth;
  const keys = new ApiKeyStore(auth.apiKeys);
  if (auth.type === 'anonymous' || auth.type === 'local') {
    const base = auth.type === 'local' ? localPrincipal(auth.user) : ANONYMOUS;
    return { type: auth.type, authenticate: async (headers) => anonymous(headers, keys, base), close: () => {} };
  }
  const verifier = new OidcVerifier(auth, opts.verifier);
  const introspector =
    auth.introspection === undefined ? undefined : new TokenIntrospector({ ...auth, introspection: auth.introspection }, opts.introspector);
  const protectedResource: ProtectedResource = {
    metadataUrl: metadataUrl(auth.resource),
    paths: metadataPaths(auth.resource),
    document: protectedResourceMetadata(auth, config.name),
  };
  const fail = failureFor(protectedResource.metadataUrl, auth.scopes);
  return {
    type: 'oidc',
    protectedResource,
    authenticate: async (headers) => {
      try {
        return { ok: true, principal: await oidc(headers, keys, { verifier, introspector }, auth.scopes) };
      } catch (e) {
        if (e instanceof AuthError) return fail(e);
        throw e;
      }
    },
    close: () => {
      verifier.close();
      introspector?.close();
    },
  };
}

interface Credential {
  readonly kind: 'bearer' | 'api-key';
  readonly value: string;
}

/** The one credential a request carries, or undefined; AuthError 400 on ambiguity. */
export function extractCredential(headers: IncomingHeaders, acceptApiKeyHeader: boolean): Credential | undefined {
  const authorization = single(headers, 'authorization');
  const apiKey = acceptApiKeyHeader ? single(headers, 'x-api-key') : undefined;
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer(?: +(.*))?$/i.exec(authorization.trim());
    // Another scheme (Basic, DPoP…) is not a credential here: treated like no credential.
    if (match !== null) {
      bearer = match[1]?.trim() ?? '';
      if (bearer === '') throw new AuthError('invalid_request', 'the Bearer credential is empty');
    }
  }
  if (bearer !== undefined && apiKey !== undefined) {
    throw new AuthError('invalid_request', 'send one credential: either Authorization: Bearer or X-API-Key');
  }
  if (apiKey !== undefined) {
    if (apiKey.trim() === '') throw new AuthError('invalid_request', 'the X-API-Key header is empty');
    return { kind: 'api-key', value: apiKey.trim() };
  }
  return bearer === undefined ? undefined : { kind: 'bearer', value: bearer };
}

function single(headers: IncomingHeaders, name: string): string | undefined {
  const found = Object.entries(headers).filter(([key, value]) => key.toLowerCase() === name && value !== undefined);
  const values = found.flatMap(([, value]) => (typeof value === 'string' ? [value] : [...(value ?? [])]));
  if (values.length > 1) throw new AuthError('invalid_request', `more than one ${name} header`);
  return values[0];
}

interface TokenCheckers {
  readonly verifier: OidcVerifier;
  /** Opaque (non-JWT) tokens go here when configured; otherwise they are refused as malformed. */
  readonly introspector: TokenIntrospector | undefined;
}

async function oidc(headers: IncomingHeaders, keys: ApiKeyStore, checkers: TokenCheckers, required: readonly string[]): Promise<Principal> {
  const credential = extractCredential(headers, keys.size > 0);
  if (credential === undefined) throw new MissingCredential();
  // API keys first: hashing is cheap and a key is never a well-formed, correctly signed JWT.
  const keyPrincipal = keys.size > 0 ? keys.match(credential.value) : undefined;
  if (keyPrincipal !== undefined) return requireScopes(keyPrincipal, required);
  if (credential.kind === 'api-key') throw new AuthError('invalid_token', 'unknown API key');
  if (checkers.introspector !== undefined && !looksLikeJwt(credential.value)) return checkers.introspector.verify(credential.value);
  return checkers.verifier.verify(credential.value);
}

/** ToolHive's `local`: the OS user vmcp runs as is the caller (the listener is loopback only). */
function localPrincipal(user: string): Principal {
  return Object.freeze({ kind: 'local', subject: user, scopes: Object.freeze([]), claims: Object.freeze({}) });
}

async function anonymous(headers: IncomingHeaders, keys: ApiKeyStore, base: Principal): Promise<AuthOutcome> {
  if (keys.size === 0) return { ok: true, principal: base };
  try {
    const credential = extractCredential(headers, true);
    if (credential === undefined) return { ok: true, principal: base };
    const principal = keys.match(credential.value);
    if (principal === undefined) throw new AuthError('invalid_token', 'unknown API key');
    return { ok: true, principal };
  } catch (e) {
    if (e instanceof AuthError) return failureFor(undefined, [])(e);
    throw e;
  }
}

function requireScopes(principal: Principal, required: readonly string[]): Principal {
  const missing = required.filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0) {
    throw new AuthError('insufficient_scope', `API key "${principal.subject}" lacks required scope ${missing.join(', ')}`, {
      requiredScopes: required,
    });
  }
  return principal;
}

/** No credential at all: RFC 6750 §3.1 says the challenge carries no error code then. */
class MissingCredential extends AuthError {
  constructor() {
    super('invalid_token', 'authentication required: send Authorization: Bearer <access token>');
  }
}

function failureFor(resourceMetadata: string | undefined, required: readonly string[]): (e: AuthError) => AuthFailure {
  return (e): AuthFailure => {
    const missing = e instanceof MissingCredential;
    const challenge =
      e.status === 503
        ? undefined
        : bearerChallenge({
            ...(resourceMetadata === undefined ? {} : { resourceMetadata }),
            ...(missing ? {} : { error: e.error, description: e.description }),
            // The scopes to ask for: on 401 so a client requests them up front, on 403 to step up.
            scopes: e.error === 'insufficient_scope' ? e.requiredScopes : required,
          });
    const headers: Record<string, string> = challenge === undefined ? {} : { 'WWW-Authenticate': challenge };
    return {
      ok: false,
      status: e.status,
      headers,
      body: { error: e.error, error_description: e.description },
    };
  };
}
