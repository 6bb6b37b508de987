// A real OAuth 2.1 / OIDC authorization server for tests: `oidc-provider` (panva) in-process on a
// loopback port, configured the way an MCP deployment uses one (issue 6).
//
//   await using idp = await startOidc();
//   idp.issuer                       http://127.0.0.1:<port> (discovery at /.well-known/openid-configuration,
//                                    RFC 8414 alias at /.well-known/oauth-authorization-server)
//   idp.tokenEndpoint / idp.jwksUri  the provider's own endpoints
//   idp.client                       {id, secret}: a confidential client allowed client_credentials and
//                                    token exchange (client_secret_basic or client_secret_post)
//   await idp.clientCredentialsToken({resource, scope})   a JWT access token issued by the provider over
//                                    HTTP (resource indicators, RFC 8707 → `aud` = resource, typ at+jwt)
//   await idp.mintAccessToken({sub, aud, scope, expiresIn?, iss?, kid?, foreign?, claims?})
//                                    signs directly with the provider's current key, so tests can make
//                                    expired / wrong-aud / wrong-iss tokens; `foreign: true` signs with a key
//                                    the provider never published (bad signature), same kid unless given
//   await idp.opaqueToken({audience, scope?})   an opaque (non-JWT) client_credentials access token whose
//                                    RFC 7662 introspection (at idp.introspectionEndpoint) reports `aud` = audience
//                                    (any string, e.g. "vmcp"); introspection needs the client's credentials
//   await idp.rotateKey()            publishes a new signing key (returned kid); mintAccessToken then signs
//                                    with it. Old keys stay published, as in a real rotation.
//   idp.jwksRequests                 how many times the JWKS was served (to observe refetches)
//   idp.exchanges                    every successful token exchange: {sub, audience, scope, subjectAud}
//
// RFC 8693 token exchange is registered as an extra grant
// (`urn:ietf:params:oauth:grant-type:token-exchange`): the subject token must be a JWT this provider
// issued (verified against its published keys, expiry included); the new token is a JWT access token
// minted by oidc-provider's own AccessToken class for the requested `audience` (or `resource`), with
// the same `sub`, the requested `scope` (default: the subject token's), and `act: {sub: client_id}`.
// A plain POST works (basicAuth and the URN constants are exported):
//   fetch(idp.tokenEndpoint, {method: 'POST', headers: {authorization: basicAuth(id, secret)},
//     body: new URLSearchParams({grant_type, subject_token, subject_token_type, audience, scope})})
//
// Node 20: oidc-provider 9 prints "Unsupported runtime" at import (it wants Node 22 LTS) but works;
// that one line is filtered here. Everything listens on 127.0.0.1 and stops with close().
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const OPAQUE_RESOURCE = 'urn:test:opaque:';

export interface StartOidcOptions {
  readonly scopes?: readonly string[]; // what resource servers grant (default mcp:tools mcp:read mcp:admin)
  readonly accessTokenTtl?: number; // seconds (default 300)
}

export interface MintOptions {
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly scope?: string;
  readonly expiresIn?: number; // seconds from now; negative = already expired (default: the TTL)
  readonly iss?: string; // default: the provider's issuer
  readonly kid?: string; // default: the signing key's kid
  readonly foreign?: boolean; // sign with a key the provider never published (bad signature)
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
  readonly issued_token_type?: string;
}

export interface Exchange {
  readonly sub: string;
  readonly audience: string;
  readonly scope?: string;
  readonly subjectAud: unknown;
}

export interface OidcServer extends AsyncDisposable {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly introspectionEndpoint: string;
  readonly client: { readonly id: string; readonly secret: string };
  readonly jwksRequests: number;
  readonly exchanges: readonly Exchange[];
  mintAccessToken(opts: MintOptions): Promise<string>;
  clientCredentialsToken(opts: { resource: string; scope?: string }): Promise<TokenResponse>;
  opaqueToken(opts: { audience: string; scope?: string }): Promise<string>;
  rotateKey(): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];
  readonly publicJwk: jose.JWK;
  readonly privateJwk: jose.JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const meta = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey,
    publicJwk: { ...(await jose.exportJWK(publicKey)), ...meta },
    privateJwk: { ...(await jose.exportJWK(privateKey)), ...meta },
  };
}

export async function startOidc(opts: StartOidcOptions = {}): Promise<OidcServer> {
  const scopes = opts.scopes ?? ['mcp:tools', 'mcp:read', 'mcp:admin'];
  const ttl = opts.accessTokenTtl ?? 300;
  const keys: SigningKey[] = [await newKey('key-1')];
  const exchanges: Exchange[] = [];
  const client = { id: 'vmcp-gateway', secret: 'vmcp-gateway-secret-for-tests' };
  const http = await listen(keys);
  const { issuer } = http;
  const provider = await createProvider(issuer, { scopes, ttl, client, signingKey: keys[0]! });
  const localJwks = (header: jose.JWSHeaderParameters, token: jose.FlattenedJWSInput) =>
    jose.createLocalJWKSet({ keys: keys.map((k) => k.publicJwk) })(header, token);
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, exchangeHandler(provider, { issuer, ttl, localJwks, exchanges }), [
    'subject_token',
    'subject_token_type',
    'audience',
    'resource',
    'scope',
    'requested_token_type',
    'actor_token',
    'actor_token_type',
  ]);
  http.serve(provider.callback());
  const mint = minter(issuer, client.id, ttl, keys, await newKey('key-1'));
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    client,
    get jwksRequests() {
      return http.jwksRequests;
    },
    exchanges,
    mintAccessToken: mint,
    async clientCredentialsToken({ resource, scope }) {
      const body = new URLSearchParams({ grant_type: 'client_credentials', resource, ...(scope === undefined ? {} : { scope }) });
      const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization: basicAuth(client.id, client.secret) }, body });
      if (!res.ok) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as TokenResponse;
    },
    async opaqueToken({ audience, scope }) {
      const resource = `${OPAQUE_RESOURCE}${encodeURIComponent(audience)}`;
      const body = new URLSearchParams({ grant_type: 'client_credentials', resource, ...(scope === undefined ? {} : { scope }) });
      const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization: basicAuth(client.id, client.secret) }, body });
      if (!res.ok) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as TokenResponse).access_token;
    },
    async rotateKey() {
      const key = await newKey(`key-${keys.length + 1}`);
      keys.push(key);
      return key.kid;
    },
    close: http.close,
    [Symbol.asyncDispose]: http.close,
  };
}

/** The loopback server in front of the provider: it serves the (rotatable) JWKS itself. */
async function listen(keys: readonly SigningKey[]) {
  let jwksRequests = 0;
  let dispatch: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/jwks') {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
      return;
    }
    // RFC 8414 location, served from the OIDC discovery document (same metadata).
    if (path === '/.well-known/oauth-authorization-server') req.url = '/.well-known/openid-configuration';
    dispatch(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed: Promise<void> | undefined;
  return {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get jwksRequests() {
      return jwksRequests;
    },
    serve: (handler: typeof dispatch) => {
      dispatch = handler;
    },
    close: (): Promise<void> =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function minter(issuer: string, clientId: string, ttl: number, keys: readonly SigningKey[], foreign: SigningKey) {
  return async (m: MintOptions): Promise<string> => {
    const key = m.foreign === true ? foreign : keys.at(-1)!;
    const now = Math.floor(Date.now() / 1000);
    return new jose.SignJWT({ ...(m.scope === undefined ? {} : { scope: m.scope }), client_id: clientId, ...m.claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: m.kid ?? key.kid })
      .setIssuer(m.iss ?? issuer)
      .setSubject(m.sub)
      .setAudience(typeof m.aud === 'string' ? m.aud : [...m.aud])
      .setIssuedAt(now)
      .setExpirationTime(now + (m.expiresIn ?? ttl))
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
  };
}

export function basicAuth(id: string, secret: string): string {
  // RFC 6749 §2.3.1: form-encode, then base64.
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

// ---- oidc-provider wiring. It ships no types; these are the few members used here. ----

interface GrantContext {
  body?: unknown;
  oidc: { params: Record<string, string | undefined>; client: { clientId: string } };
}
interface AccessTokenLike {
  resourceServer?: unknown;
  expiration: number;
  save(): Promise<string>;
}
interface ProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params: string[]): void;
  AccessToken: new (init: Record<string, unknown>) => AccessTokenLike;
  ResourceServer: new (id: string, info: Record<string, unknown>) => unknown;
}
interface ProviderModule {
  default: new (issuer: string, config: Record<string, unknown>) => ProviderLike;
  errors: Record<string, new (description?: string) => Error>;
}

let loaded: Promise<ProviderModule> | undefined;
/** Import oidc-provider once, without its Node-22 nag (the only line filtered). */
function loadProvider(): Promise<ProviderModule> {
  return (loaded ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
    };
    try {
      return (await import('oidc-provider' as string)) as ProviderModule;
    } finally {
      console.warn = warn;
    }
  })());
}

type ProviderSetup = { scopes: readonly string[]; ttl: number; client: { id: string; secret: string }; signingKey: SigningKey };

async function createProvider(issuer: string, s: ProviderSetup): Promise<ProviderLike> {
  const { default: Provider } = await loadProvider();
  return new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: s.client.id,
        client_secret: s.client.secret,
        grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT],
        redirect_uris: [],
        response_types: [],
        scope: s.scopes.join(' '),
      },
    ],
    jwks: { keys: [s.signingKey.privateJwk] },
    scopes: ['openid', ...s.scopes],
    ttl: { AccessToken: s.ttl, ClientCredentials: s.ttl },
    // RFC 8693 §4.1: an exchanged token names who acts on the subject's behalf.
    extraTokenClaims: (_ctx: unknown, token: { gty?: string; clientId?: string }) =>
      token.gty === TOKEN_EXCHANGE_GRANT ? { act: { sub: token.clientId } } : undefined,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 7662 §4: only the gateway's own (confidential) client may introspect.
      introspection: { enabled: true, allowedPolicy: (_ctx: unknown, c: { clientId: string }) => c.clientId === s.client.id },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        // Any resource asked for is a resource server taking JWT access tokens aimed at it; the
        // OPAQUE_RESOURCE prefix asks for an opaque token with the audience that follows it.
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const opaque = resource.startsWith(OPAQUE_RESOURCE);
          return {
            scope: s.scopes.join(' '),
            audience: opaque ? decodeURIComponent(resource.slice(OPAQUE_RESOURCE.length)) : resource,
            accessTokenFormat: opaque ? 'opaque' : 'jwt',
            accessTokenTTL: s.ttl,
          };
        },
      },
    },
  });
}

type ExchangeSetup = { issuer: string; ttl: number; localJwks: jose.JWTVerifyGetKey; exchanges: Exchange[] };

function exchangeHandler(provider: ProviderLike, setup: ExchangeSetup): (ctx: GrantContext) => Promise<void> {
  return async (ctx) => {
    const { errors } = await loadProvider();
    const { params, client } = ctx.oidc;
    const type = params.subject_token_type;
    if (params.subject_token === undefined) throw new errors.InvalidRequest!('missing subject_token');
    if (type !== ACCESS_TOKEN_TYPE && type !== JWT_TOKEN_TYPE) throw new errors.InvalidRequest!('unsupported subject_token_type');
    const audience = params.audience ?? params.resource;
    if (audience === undefined) throw new errors.InvalidTarget!('audience or resource is required');
    let subject: jose.JWTPayload;
    try {
      ({ payload: subject } = await jose.jwtVerify(params.subject_token, setup.localJwks, { issuer: setup.issuer }));
    } catch (e) {
      throw new errors.InvalidGrant!(`subject_token rejected: ${(e as Error).message}`);
    }
    const scope = params.scope ?? (typeof subject.scope === 'string' ? subject.scope : undefined);
    const token = new provider.AccessToken({ accountId: subject.sub, client, scope, gty: TOKEN_EXCHANGE_GRANT });
    token.resourceServer = new provider.ResourceServer(audience, { audience, scope, accessTokenFormat: 'jwt', accessTokenTTL: setup.ttl });
    const value = await token.save();
    setup.exchanges.push({ sub: String(subject.sub), audience, ...(scope === undefined ? {} : { scope }), subjectAud: subject.aud });
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: token.expiration,
      ...(scope === undefined ? {} : { scope }),
    };
  };
}

/** A per-provider store (the built-in one is process-wide and warns on every start). */
function memoryAdapter(): new (model: string) => unknown {
  const store = new Map<string, Record<string, unknown>>();
  return class {
    readonly #model: string;
    constructor(model: string) {
      this.#model = model;
    }
    async upsert(id: string, payload: Record<string, unknown>) {
      store.set(`${this.#model}:${id}`, payload);
    }
    async find(id: string) {
      return store.get(`${this.#model}:${id}`);
    }
    async findByUid() {
      return undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    async consume(id: string) {
      const p = store.get(`${this.#model}:${id}`);
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(`${this.#model}:${id}`);
    }
    async revokeByGrantId() {
      /* grants are not used by these flows */
    }
  };
}
