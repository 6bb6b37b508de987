// One registry of stable error codes (house rule 7). Local failures are VmcpError(code); they
// become wire errors only in to-wire.ts. Codes never change meaning once released.

export const ErrorCodes = {
  CONFIG_INVALID: 'VMCP_CONFIG_INVALID',
  NAME_CONFLICT: 'VMCP_NAME_CONFLICT',
  // The request itself (the client's fault; never counted against a backend).
  PARSE_ERROR: 'VMCP_PARSE_ERROR',
  INVALID_REQUEST: 'VMCP_INVALID_REQUEST',
  REQUEST_TOO_LARGE: 'VMCP_REQUEST_TOO_LARGE',
  DUPLICATE_REQUEST_ID: 'VMCP_DUPLICATE_REQUEST_ID',
  TOOL_NOT_FOUND: 'VMCP_TOOL_NOT_FOUND',
  PROMPT_NOT_FOUND: 'VMCP_PROMPT_NOT_FOUND',
  RESOURCE_NOT_FOUND: 'VMCP_RESOURCE_NOT_FOUND',
  METHOD_NOT_FOUND: 'VMCP_METHOD_NOT_FOUND',
  INVALID_PARAMS: 'VMCP_INVALID_PARAMS',
  CLIENT_CAPABILITY_MISSING: 'VMCP_CLIENT_CAPABILITY_MISSING',
  /** 2026-07-28: the request would need a client capability it did not declare (-32021, HTTP 400). */
  MISSING_REQUIRED_CAPABILITY: 'VMCP_MISSING_REQUIRED_CAPABILITY',
  /** 2026-07-28: Mcp-Param-* headers and the body disagree (-32020, HTTP 400). */
  HEADER_MISMATCH: 'VMCP_HEADER_MISMATCH',
  // HTTP-level refusals at the edge.
  NOT_ACCEPTABLE: 'VMCP_NOT_ACCEPTABLE',
  UNSUPPORTED_MEDIA_TYPE: 'VMCP_UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'VMCP_METHOD_NOT_ALLOWED',
  UNSUPPORTED_PROTOCOL_VERSION: 'VMCP_UNSUPPORTED_PROTOCOL_VERSION',
  HOST_NOT_ALLOWED: 'VMCP_HOST_NOT_ALLOWED',
  NOT_FOUND: 'VMCP_NOT_FOUND',
  SESSION_REQUIRED: 'VMCP_SESSION_REQUIRED',
  SESSION_NOT_FOUND: 'VMCP_SESSION_NOT_FOUND',
  SESSION_FORBIDDEN: 'VMCP_SESSION_FORBIDDEN',
  SESSION_CONFLICT: 'VMCP_SESSION_CONFLICT',
  SESSION_LIMIT: 'VMCP_SESSION_LIMIT',
  STORE_UNAVAILABLE: 'VMCP_STORE_UNAVAILABLE',
  RATE_LIMITED: 'VMCP_RATE_LIMITED',
  // Backends (classified once, at the backend boundary: errors/classify.ts).
  BACKEND_UNAVAILABLE: 'VMCP_BACKEND_UNAVAILABLE',
  BACKEND_TIMEOUT: 'VMCP_BACKEND_TIMEOUT',
  BACKEND_FAILED: 'VMCP_BACKEND_FAILED',
  BACKEND_PROTOCOL_ERROR: 'VMCP_BACKEND_PROTOCOL_ERROR',
  RESULT_TOO_LARGE: 'VMCP_RESULT_TOO_LARGE',
  NO_CALL_IN_FLIGHT: 'VMCP_NO_CALL_IN_FLIGHT',
  CANCELLED: 'VMCP_CANCELLED',
  SHUTTING_DOWN: 'VMCP_SHUTTING_DOWN',
  INTERNAL: 'VMCP_INTERNAL',
  // Identity.
  BACKEND_AUTH_FAILED: 'VMCP_BACKEND_AUTH_FAILED',
  BACKEND_AUTH_REQUIRED: 'VMCP_BACKEND_AUTH_REQUIRED',
  UNAUTHENTICATED: 'VMCP_UNAUTHENTICATED',
  FORBIDDEN: 'VMCP_FORBIDDEN',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * How a backend call failed, decided once where the failure happens (errors/classify.ts). Health,
 * per-user handling and the wire mapping switch on `kind`, never on message text.
 */
export type FailureKind = 'auth' | 'timeout' | 'connection' | 'protocol' | 'too-large' | 'cancelled';

export interface BackendFailure {
  readonly kind: FailureKind;
  readonly backend: string;
  /** The HTTP status the backend answered with, when there was one. */
  readonly status?: number;
}

export interface VmcpErrorOptions {
  cause?: unknown;
  failure?: BackendFailure;
  /** Seconds a client should wait before retrying (503/429 answers). */
  retryAfterSeconds?: number;
  /** The HTTP status when the code's usual one does not fit (e.g. a per-principal cap is 429, the global one 503). */
  httpStatus?: number;
}

export class VmcpError extends Error {
  readonly code: ErrorCode;
  /** Safe, structured details for the client (never secrets, never raw backend errors). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** Present when a backend call failed: what kind of failure, for health and retries. */
  readonly failure: BackendFailure | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options: VmcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VmcpError';
    this.code = code;
    this.details = details;
    this.failure = options.failure;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.httpStatus = options.httpStatus;
  }
}

export function isVmcpError(err: unknown, code?: ErrorCode): err is VmcpError {
  return err instanceof VmcpError && (code === undefined || err.code === code);
}

/** The failure kinds that say a backend is not serving (they feed health and circuit breakers). */
const HEALTH_FAILURES: ReadonlySet<FailureKind> = new Set(['timeout', 'connection', 'protocol']);

/** True when `err` is a backend failure that counts against the backend's health. */
export function countsAgainstBackend(err: unknown): boolean {
  return err instanceof VmcpError && err.failure !== undefined && HEALTH_FAILURES.has(err.failure.kind);
}
