// Why a request was not authenticated, in the words RFC 6750 §3.1 gives a resource server.
// `description` is written for the client developer ("token expired", "missing scope mcp:tools")
// and never contains the token, a key or a claim value taken from an unverified token.
import { ErrorCodes, VmcpError } from '../../errors/codes.js';

export type AuthErrorCode =
  /** RFC 6750: the token is expired, revoked, malformed or invalid for other reasons. */
  | 'invalid_token'
  /** RFC 6750: the token lacks a scope the resource requires (HTTP 403). */
  | 'insufficient_scope'
  /** RFC 6750: the request itself is malformed (e.g. two credentials at once; HTTP 400). */
  | 'invalid_request'
  /** The identity provider cannot be reached, so no token can be checked (HTTP 503). */
  | 'temporarily_unavailable';

export type AuthErrorStatus = 400 | 401 | 403 | 503;

const STATUS: Readonly<Record<AuthErrorCode, AuthErrorStatus>> = {
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_request: 400,
  temporarily_unavailable: 503,
};

export class AuthError extends VmcpError {
  readonly status: AuthErrorStatus;
  readonly error: AuthErrorCode;
  readonly description: string;
  /** For insufficient_scope: the scopes the resource requires (RFC 6750 `scope` attribute). */
  readonly requiredScopes: readonly string[];

  constructor(error: AuthErrorCode, description: string, opts: { requiredScopes?: readonly string[]; cause?: unknown } = {}) {
    const status = STATUS[error];
    super(status === 403 ? ErrorCodes.FORBIDDEN : ErrorCodes.UNAUTHENTICATED, description, { error }, { cause: opts.cause });
    this.name = 'AuthError';
    this.status = status;
    this.error = error;
    this.description = description;
    this.requiredScopes = [...(opts.requiredScopes ?? [])];
  }
}

export function isAuthError(err: unknown): err is AuthError {
  return err instanceof AuthError;
}
