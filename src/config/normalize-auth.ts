// incomingAuth / outgoingAuth → their runtime form. Defaults come from defaults.ts; durations
// become milliseconds; secrets are the Secret instances resolve-auth.ts read; outgoingAuth.default
// is applied to every enabled backend without its own entry, so the gateway looks one backend up
// and never merges anything at request time.
import { userInfo } from 'node:os';
import { DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import type { ResolvedAuth, ResolvedSecret, ResolvedStrategy } from './resolve-auth.js';
import type { UserIncomingAuth, UserOutgoingAuth, UserOutgoingStrategy } from './schema-auth.js';
import type {
  ApiKeyConfig,
  AuthzConfig,
  IncomingAuthConfig,
  OutgoingAuthConfig,
  SubjectTokenType,
  TokenExchangeOutgoing,
} from './types.js';

export function normalizeIncoming(user: UserIncomingAuth | undefined, resolved?: ResolvedAuth): IncomingAuthConfig {
  const type = user?.type ?? DEFAULTS.incomingAuthType;
  const allowRemoteAnonymous = user?.allowRemoteAnonymous ?? false;
  const oidc = user?.oidc;
  const required = [...new Set(oidc?.scopes ?? [])];
  const apiKeys = (user?.apiKeys ?? []).map((k): ApiKeyConfig => ({
    name: k.name,
    sha256: k.sha256.toLowerCase(),
    // A key without its own scopes gets exactly what the gateway requires of every caller.
    scopes: [...(k.scopes ?? required)],
  }));
  if (type === 'local') return { type: 'local', allowRemoteAnonymous: false, user: localUser(), apiKeys };
  if (type === 'anonymous' || oidc === undefined) return { type: 'anonymous', allowRemoteAnonymous, apiKeys };
  const secret = resolved?.introspectionSecret;
  const introspection =
    oidc.clientId === undefined || secret === undefined
      ? undefined
      : {
          clientId: oidc.clientId,
          clientSecret: secret.value,
          ...(oidc.introspectionUrl === undefined ? {} : { url: oidc.introspectionUrl }),
        };
  return {
    type: 'oidc',
    allowRemoteAnonymous,
    issuer: oidc.issuer,
    audience: oidc.audience,
    resource: oidc.resource ?? oidc.audience,
    ...(oidc.jwksUrl === undefined ? {} : { jwksUrl: oidc.jwksUrl }),
    scopes: required,
    clockSkewMs: parseDuration(oidc.clockSkew ?? DEFAULTS.clockSkew),
    insecureAllowHttp: oidc.insecureAllowHttp ?? false,
    apiKeys,
    ...(introspection === undefined ? {} : { introspection }),
  };
}

/** ToolHive's local identity: the OS account vmcp runs as (USER when the account has no name). */
function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'local';
  }
}

export function normalizeAuthz(user: UserIncomingAuth | undefined, resolved: ResolvedAuth): AuthzConfig | undefined {
  const authz = user?.authz;
  if (authz === undefined) return undefined;
  return {
    type: authz.type,
    policies: resolved.policies.map((p) => ({ ...p })),
    entitiesJson: authz.entitiesJson ?? DEFAULTS.entitiesJson,
  };
}

export function normalizeOutgoing(
  user: UserOutgoingAuth | undefined,
  backendNames: readonly string[],
  resolved: ResolvedAuth,
): Readonly<Record<string, OutgoingAuthConfig>> {
  const out: Record<string, OutgoingAuthConfig> = {};
  for (const name of backendNames) {
    const own = user?.backends?.[name];
    out[name] = own === undefined ? strategy(user?.default, resolved.default ?? {}) : strategy(own, resolved.backends.get(name) ?? {});
  }
  return out;
}

const SUBJECT_TOKEN_TYPES: Readonly<Record<'access_token' | 'id_token' | 'jwt', SubjectTokenType>> = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
};

function strategy(user: UserOutgoingStrategy | undefined, secrets: ResolvedStrategy): OutgoingAuthConfig {
  switch (user?.type) {
    case undefined:
    case 'unauthenticated':
      return { type: 'unauthenticated' };
    case 'header_injection': {
      const { headerName, envName } = user.headerInjection;
      const value = present(secrets.headerValue);
      return {
        type: 'header_injection',
        ...(headerName === undefined ? {} : { headerName }),
        ...(envName === undefined ? {} : { envName }),
        value: value.value,
        valueFrom: { ...value.source },
      };
    }
    case 'token_exchange':
      return tokenExchange(user.tokenExchange, secrets);
    case 'client_credentials': {
      const c = user.clientCredentials;
      return {
        type: 'client_credentials',
        tokenUrl: c.tokenUrl,
        clientId: c.clientId,
        clientSecret: present(secrets.clientSecret).value,
        ...(c.audience === undefined ? {} : { audience: c.audience }),
        scopes: [...(c.scopes ?? [])],
      };
    }
    case 'token_passthrough':
      return { type: 'token_passthrough', headerName: user.tokenPassthrough?.headerName ?? DEFAULTS.tokenPassthroughHeader };
    case 'upstream_inject':
      return { type: 'token_passthrough', headerName: user.upstreamInject?.headerName ?? DEFAULTS.tokenPassthroughHeader };
  }
}

type UserTokenExchange = Extract<UserOutgoingStrategy, { type: 'token_exchange' }>['tokenExchange'];

function tokenExchange(t: UserTokenExchange, secrets: ResolvedStrategy): TokenExchangeOutgoing {
  return {
    type: 'token_exchange',
    tokenUrl: t.tokenUrl,
    ...(t.clientId === undefined ? {} : { clientId: t.clientId }),
    ...(secrets.clientSecret === undefined ? {} : { clientSecret: secrets.clientSecret.value }),
    ...(t.audience === undefined ? {} : { audience: t.audience }),
    scopes: [...(t.scopes ?? [])],
    subjectTokenType: SUBJECT_TOKEN_TYPES[t.subjectTokenType ?? DEFAULTS.subjectTokenType],
  };
}

/** normalize runs only on a config without errors, where resolve-auth.ts found every secret. */
function present(secret: ResolvedSecret | undefined): ResolvedSecret {
  if (secret === undefined)
    throw new Error('internal: a required secret was not resolved (normalize a config only after it loads without errors)');
  return secret;
}
