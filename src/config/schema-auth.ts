// The `incomingAuth` and `outgoingAuth` sections (issue 6). Key names are ToolHive's
// (pkg/vmcp/config: incomingAuth.{type, oidc, authz}, outgoingAuth.{default, backends} with
// strategy types header_injection / token_exchange ...), so a ToolHive config
// ports line by line. Deliberate differences: a secret is never written inline (no
// `headerValue` / `clientSecret`: only `*Env` or `*File`), API keys are stored as SHA-256 hashes
// only, and `header_injection` can feed a stdio backend through an env var (`envName`).
// Cross-field rules (which block goes with which type, stdio limits, references to backends)
// live in validate-auth.ts.
import { z } from 'zod';
import { backendName, duration, envName, headerName, httpUrl } from './schema-common.js';
import { outgoingSource } from './schema-toolhive.js';

const scopeList = z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token (RFC 6749 §3.3: no spaces or quotes)'));

const oidc = z
  .strictObject({
    issuer: httpUrl.describe(
      "The authorization server's issuer URL, exactly as in its tokens' `iss` (https; http only for loopback or with insecureAllowHttp).",
    ),
    audience: z
      .string()
      .min(1)
      .describe('What every token\'s `aud` must contain: the gateway\'s resource URL (RFC 8707), or a name such as "vmcp" (ToolHive).'),
    resource: httpUrl
      .optional()
      .describe(
        'RFC 9728 resource identifier advertised in the protected resource metadata (default: audience; required when it is not a URL).',
      ),
    clientId: z
      .string()
      .min(1)
      .optional()
      .describe("The gateway's client id: with a secret, opaque tokens are checked by RFC 7662 introspection."),
    clientSecretEnv: envName.optional().describe('Environment variable holding the introspection client secret.'),
    clientSecretFile: z.string().min(1).optional().describe('File holding the introspection client secret (relative to the config file).'),
    introspectionUrl: httpUrl
      .optional()
      .describe("RFC 7662 endpoint (default: introspection_endpoint from the issuer's discovery document)."),
    jwksUrl: httpUrl.optional().describe("Where the signing keys are (default: jwks_uri from the issuer's discovery document)."),
    scopes: scopeList.optional().describe('Scopes every token must carry (in `scope` or `scp`); also advertised as scopes_supported.'),
    clockSkew: duration.optional().describe('Tolerance for exp/nbf/iat checks (default 30s).'),
    insecureAllowHttp: z
      .boolean()
      .optional()
      .describe('Allow an http:// issuer or jwksUrl on a non-loopback host (testing only; default false).'),
  })
  .describe("OIDC / OAuth 2.1 bearer token validation (JWT access tokens checked against the issuer's JWKS).");

const apiKey = z
  .strictObject({
    name: z.string().min(1).describe("Who holds the key; becomes the principal's subject."),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64-hex-digit SHA-256 of the key (e.g. `printf %s "$KEY" | sha256sum`), never the key itself')
      .describe('Hex SHA-256 of the key; the key itself is never stored.'),
    scopes: scopeList.optional().describe('Scopes granted to this key (default: the required oidc.scopes).'),
  })
  .describe('A static API key for a machine client, sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`.');

const authz = z
  .strictObject({
    type: z.literal('cedar').describe('Authorization engine (only "cedar").'),
    policyFiles: z
      .array(z.string().min(1))
      .optional()
      .describe('Cedar policy files, relative to the config file; read when the config is loaded.'),
    policies: z.array(z.string().min(1)).optional().describe("Inline Cedar policies (ToolHive's key)."),
    entitiesJson: z.string().optional().describe('Cedar entities as a JSON array (default "[]").'),
  })
  .describe('Cedar authorization of every call (ToolHive: incomingAuth.authz).');

export const incomingAuthSchema = z.strictObject({
  type: z
    .enum(['anonymous', 'oidc', 'local'])
    .optional()
    .describe(
      '"anonymous" (default; loopback only unless allowRemoteAnonymous), "oidc", or "local" (the OS user running vmcp, loopback only).',
    ),
  allowRemoteAnonymous: z
    .boolean()
    .optional()
    .describe('Allow anonymous access on a non-loopback server.host (default false: that is an error).'),
  oidc: oidc.optional(),
  apiKeys: z.array(apiKey).optional().describe('Static API keys for machine clients, stored as hashes.'),
  authz: authz.optional(),
});

const secretSource = {
  clientSecretEnv: envName.optional().describe('Environment variable holding the client secret.'),
  clientSecretFile: z.string().min(1).optional().describe('File holding the client secret (relative to the config file).'),
};

const headerInjection = z
  .strictObject({
    headerName: headerName.optional().describe('Header to set on requests to an HTTP backend.'),
    envName: envName.optional().describe('For stdio backends: the env var of the child process that receives the value.'),
    headerValueEnv: envName.optional().describe('Environment variable holding the value.'),
    headerValueFile: z
      .string()
      .min(1)
      .optional()
      .describe('File holding the value (relative to the config file; one trailing newline is dropped).'),
  })
  .describe('A static credential, the same for every user (exactly one of headerValueEnv / headerValueFile).');

const subjectTokenType = z.enum(['access_token', 'id_token', 'jwt']);

const tokenExchange = z
  .strictObject({
    tokenUrl: httpUrl.describe("The authorization server's token endpoint."),
    clientId: z.string().min(1).optional().describe("The gateway's client id at that server."),
    ...secretSource,
    audience: z.string().min(1).optional().describe('The `audience` to ask for (the backend).'),
    scopes: scopeList.optional().describe('Scopes to ask for.'),
    subjectTokenType: subjectTokenType.optional().describe("Type of the caller's token (default access_token)."),
  })
  .describe("RFC 8693: exchange the caller's token for one meant for this backend.");

const clientCredentials = z
  .strictObject({
    tokenUrl: httpUrl.describe("The authorization server's token endpoint."),
    clientId: z.string().min(1).describe("The gateway's client id."),
    ...secretSource,
    audience: z.string().min(1).optional().describe('The `audience`/`resource` to ask for (the backend).'),
    scopes: scopeList.optional().describe('Scopes to ask for.'),
  })
  .describe("OAuth client_credentials: the gateway's own token, the same for every user.");

const tokenPassthrough = z
  .strictObject({
    headerName: headerName.optional().describe('Header that carries the caller\'s token (default Authorization, as "Bearer <token>").'),
  })
  .describe("Pass the caller's own token to the backend. The MCP spec forbids blind pass-through: `vmcp validate` warns.");

// The old name of token_passthrough. ToolHive's upstream_inject (upstreamInject.providerName: a
// token its embedded authorization server holds) is another feature: validate-outgoing.ts answers
// that shape with what vmcp offers instead.
const upstreamInject = z
  .strictObject({
    headerName: headerName.optional().describe('Deprecated: use token_passthrough.tokenPassthrough.headerName.'),
    providerName: z.string().optional().describe('ToolHive only (embedded authorization server): refused with an explanation.'),
  })
  .describe('Deprecated alias of token_passthrough.');

export const outgoingStrategySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('unauthenticated') }).describe('Send no credentials.'),
  z.strictObject({ type: z.literal('header_injection'), headerInjection }),
  z.strictObject({ type: z.literal('token_exchange'), tokenExchange }),
  z.strictObject({ type: z.literal('client_credentials'), clientCredentials }),
  z.strictObject({ type: z.literal('token_passthrough'), tokenPassthrough: tokenPassthrough.optional() }),
  z
    .strictObject({ type: z.literal('upstream_inject'), upstreamInject: upstreamInject.optional() })
    .describe('Deprecated: token_passthrough.'),
]);

export const outgoingAuthSchema = z.strictObject({
  source: outgoingSource,
  default: outgoingStrategySchema.optional().describe('For every backend without its own entry (default unauthenticated).'),
  backends: z.record(backendName, outgoingStrategySchema).optional().describe('Per-backend strategies, keyed by backend name.'),
});

export type UserIncomingAuth = z.infer<typeof incomingAuthSchema>;
export type UserOutgoingAuth = z.infer<typeof outgoingAuthSchema>;
export type UserOutgoingStrategy = z.infer<typeof outgoingStrategySchema>;
