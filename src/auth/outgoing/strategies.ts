// Outgoing auth per backend (ToolHive's strategy names): what credentials a request to a backend
// carries, for a given user. `perUser` strategies need the caller's identity, so their backends
// get a connection per user; the others share one connection. Health probes use `probeHeaders()`:
// service credentials when the strategy has them, otherwise none (the backend then answers 401 and
// is `unauthenticated` — routable, per user).
import { createHash } from 'node:crypto';
import type { OutgoingAuthConfig } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { Principal } from '../types.js';
import { TokenCache } from './token-cache.js';
import { requestToken } from './token-endpoint.js';

export interface OutgoingAuth {
  readonly type: OutgoingAuthConfig['type'];
  readonly perUser: boolean;
  /** Headers for a request on behalf of `principal`. */
  headers(principal: Principal | undefined, signal?: AbortSignal): Promise<Record<string, string>>;
  /** Service credentials for health probes, or undefined when only a user's credentials work. */
  probeHeaders(signal?: AbortSignal): Promise<Record<string, string> | undefined>;
  /** stdio backends receive credentials as environment variables. */
  env(): Record<string, string>;
  /** Forget cached tokens for `principal` (the backend rejected them). */
  invalidate(principal: Principal | undefined): void;
}

const NONE = async () => ({});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Cache keys carry a hash of the subject token, never the token itself. */
const digest = (s: string) => createHash('sha256').update(s).digest('base64url');

export function createOutgoingAuth(backend: string, config: OutgoingAuthConfig, cache = new TokenCache()): OutgoingAuth {
  switch (config.type) {
    case 'unauthenticated':
      return { type: config.type, perUser: false, headers: NONE, probeHeaders: NONE, env: () => ({}), invalidate: () => undefined };
    case 'header_injection': {
      const headers = async () => (config.headerName ? { [config.headerName]: config.value.reveal() } : {});
      return {
        type: config.type,
        perUser: false,
        headers,
        probeHeaders: headers,
        env: () => (config.envName ? { [config.envName]: config.value.reveal() } : {}),
        invalidate: () => undefined,
      };
    }
    case 'client_credentials':
      return clientCredentials(backend, config, cache);
    case 'token_exchange':
      return tokenExchange(backend, config, cache);
    case 'token_passthrough':
      return {
        type: config.type,
        perUser: true,
        probeHeaders: async () => undefined,
        env: () => ({}),
        invalidate: () => undefined,
        headers: async (principal) => {
          const token = userToken(backend, principal);
          return config.headerName.toLowerCase() === 'authorization' ? bearer(token) : { [config.headerName]: token };
        },
      };
  }
}

function clientCredentials(
  backend: string,
  config: Extract<OutgoingAuthConfig, { type: 'client_credentials' }>,
  cache: TokenCache,
): OutgoingAuth {
  const key = `cc:${backend}`;
  const get = async (signal?: AbortSignal) =>
    bearer(
      await cache.get(key, () =>
        requestToken({
          backend,
          tokenUrl: config.tokenUrl,
          clientId: config.clientId,
          clientSecret: config.clientSecret.reveal(),
          signal,
          params: { grant_type: 'client_credentials', ...scopeAndAudience(config.scopes, config.audience) },
        }),
      ),
    );
  return {
    type: config.type,
    perUser: false,
    headers: (_p, signal) => get(signal),
    probeHeaders: get,
    env: () => ({}),
    invalidate: () => cache.invalidate(key),
  };
}

function tokenExchange(backend: string, config: Extract<OutgoingAuthConfig, { type: 'token_exchange' }>, cache: TokenCache): OutgoingAuth {
  const keyOf = (principal: Principal | undefined) => `tx:${backend}:${config.audience ?? ''}:${digest(userToken(backend, principal))}`;
  const secret = config.clientSecret?.reveal();
  return {
    type: config.type,
    perUser: true,
    env: () => ({}),
    invalidate: (principal) => principal?.token && cache.invalidate(keyOf(principal)),
    headers: async (principal, signal) =>
      bearer(
        await cache.get(keyOf(principal), () =>
          requestToken({
            backend,
            tokenUrl: config.tokenUrl,
            clientId: config.clientId,
            clientSecret: secret,
            signal,
            params: {
              grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
              subject_token: userToken(backend, principal),
              subject_token_type: config.subjectTokenType,
              requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
              ...scopeAndAudience(config.scopes, config.audience),
            },
          }),
        ),
      ),
    // ToolHive: probes use the client-credentials grant when a secret is configured, else no auth.
    probeHeaders: async (signal) =>
      config.clientId && secret
        ? bearer(
            await cache.get(`txprobe:${backend}`, () =>
              requestToken({
                backend,
                tokenUrl: config.tokenUrl,
                clientId: config.clientId,
                clientSecret: secret,
                signal,
                params: { grant_type: 'client_credentials', ...scopeAndAudience(config.scopes, config.audience) },
              }),
            ),
          )
        : undefined,
  };
}

function scopeAndAudience(scopes: readonly string[], audience: string | undefined): Record<string, string> {
  return { ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}), ...(audience ? { audience, resource: audience } : {}) };
}

/** The caller's own token, for per-user strategies; without one the user must authenticate first. */
function userToken(backend: string, principal: Principal | undefined): string {
  if (principal?.token) return principal.token;
  throw new VmcpError(
    ErrorCodes.BACKEND_AUTH_REQUIRED,
    `Backend "${backend}" needs your own credentials: sign in to the gateway with OAuth (an access token) to use it`,
    { backend },
  );
}
