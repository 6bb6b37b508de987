// An identity provider that lives in a fetch function: discovery documents and a JWKS served
// from memory, plus a signer. For unit tests of the verifier and authenticator (no sockets);
// the integration tests use the real oidc-provider (test/helpers/oidc.ts).
import * as jose from 'jose';

export const ISSUER = 'https://idp.test';
export const AUDIENCE = 'https://gw.test/mcp';

type Key = Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

export interface FakeIdp {
  readonly fetch: typeof fetch;
  /** URLs requested, in order. */
  readonly requests: string[];
  /** Override a URL's response (status and JSON body), e.g. to hide a discovery document. */
  readonly routes: Map<string, { status: number; body: unknown }>;
  sign(claims: jose.JWTPayload, opts?: { kid?: string; expiresIn?: number; key?: Key; alg?: string }): Promise<string>;
  /** Fail every request (the IdP is down). */
  down: boolean;
}

export async function fakeIdp(issuer = ISSUER): Promise<FakeIdp> {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const routes = new Map<string, { status: number; body: unknown }>([
    [`${issuer}/.well-known/openid-configuration`, { status: 200, body: { issuer, jwks_uri: `${issuer}/jwks` } }],
    [`${issuer}/jwks`, { status: 200, body: { keys: [jwk] } }],
  ]);
  const requests: string[] = [];
  const idp: FakeIdp = {
    requests,
    routes,
    down: false,
    fetch: (async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      if (idp.down) throw new TypeError('fetch failed');
      const route = routes.get(url) ?? { status: 404, body: { error: 'not found' } };
      return new Response(JSON.stringify(route.body), { status: route.status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
    async sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new jose.SignJWT({ iss: issuer, aud: AUDIENCE, sub: 'alice', iat: now, exp: now + (opts.expiresIn ?? 300), ...claims })
        .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: opts.kid ?? 'k1' })
        .sign(opts.key ?? privateKey);
    },
  };
  return idp;
}
