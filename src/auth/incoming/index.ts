// Incoming auth (issue 6 §1): the gateway as an OAuth 2.1 resource server. What the HTTP edge uses:
//
//   createAuthenticator(runtimeConfig, {verifier?}) → Authenticator
//     .authenticate(req.headers) → {ok: true, principal} | {ok: false, status, headers, body}
//         anonymous → ANONYMOUS (API keys honoured when configured); oidc → bearer JWT or API key.
//         On failure, answer with status/headers/body as they are: `headers` holds the
//         WWW-Authenticate challenge (resource_metadata, error, error_description, scope).
//     .protectedResource → {metadataUrl, paths, document} (oidc only): answer GET on each of
//         `paths` (isMetadataPath also tolerates a trailing slash) with `document` as JSON,
//         without authentication — clients fetch it before they have a token (RFC 9728).
//     .close()
//   OidcVerifier        JWT validation against the issuer's discovery document and JWKS
//   ApiKeyStore         constant-time matching of SHA-256-hashed API keys; sha256Hex for tooling
//   AuthError           {status, error, description}: a typed reason, never containing the token
//   bearerChallenge     WWW-Authenticate formatting (RFC 6750 §3)
//   metadataUrl / metadataPaths / isMetadataPath / protectedResourceMetadata   RFC 9728
export { createAuthenticator, extractCredential } from './authenticator.js';
export type { AuthFailure, AuthOutcome, Authenticator, AuthenticatorOptions, IncomingHeaders, ProtectedResource } from './authenticator.js';
export { OidcVerifier, scopesOf } from './jwt.js';
export type { OidcVerifierConfig, OidcVerifierOptions } from './jwt.js';
export { ApiKeyStore, sha256Hex } from './api-keys.js';
export { AuthError, isAuthError } from './auth-error.js';
export type { AuthErrorCode, AuthErrorStatus } from './auth-error.js';
export { bearerChallenge } from './challenge.js';
export { discoveryUrls } from './discovery.js';
export { isMetadataPath, metadataPaths, metadataUrl, protectedResourceMetadata, WELL_KNOWN_PATH } from './metadata.js';
export type { ProtectedResourceMetadata } from './metadata.js';
