// Backend failures are classified once, here, where they happen (the backend boundary), into a
// FailureKind carried on the VmcpError. Everything downstream — health, circuit breakers, per-user
// handling, the wire mapping — switches on the kind; nothing parses message text. A backend's own
// JSON-RPC error is its answer, not a failure: it passes through unchanged. An error the gateway
// raised itself (a bug, a bound) is never attributed to the backend.
import { OAuthError, ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import { ErrorCodes, VmcpError, type ErrorCode, type FailureKind } from './codes.js';
import { describeError } from './describe.js';

export interface FailureSite {
  readonly backend: string;
  readonly method: string;
  /** The deadline that applied, for the timeout message. */
  readonly timeoutMs?: number;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

const CODE_OF_KIND: Record<FailureKind, ErrorCode> = {
  auth: ErrorCodes.BACKEND_AUTH_REQUIRED,
  timeout: ErrorCodes.BACKEND_TIMEOUT,
  connection: ErrorCodes.BACKEND_UNAVAILABLE,
  protocol: ErrorCodes.BACKEND_PROTOCOL_ERROR,
  'too-large': ErrorCodes.RESULT_TOO_LARGE,
  cancelled: ErrorCodes.CANCELLED,
};

/**
 * Turn whatever a backend call threw into the gateway's error model: the backend's own JSON-RPC
 * error and already-classified errors pass through; transport failures get a kind.
 */
export function classifyBackendError(err: unknown, site: FailureSite): unknown {
  if (err instanceof ProtocolError || err instanceof VmcpError) return err;
  const kind = failureKindOf(err);
  if (kind === undefined) {
    // Not a recognised transport or protocol failure: the gateway's own fault, never the backend's.
    return new VmcpError(
      ErrorCodes.INTERNAL,
      `vmcp failed while calling backend "${site.backend}" (${site.method}): ${describeError(err)}`,
      {
        backend: site.backend,
      },
      { cause: err },
    );
  }
  const status = httpStatusOf(err);
  return new VmcpError(
    CODE_OF_KIND[kind],
    messageFor(kind, site, err, status),
    { backend: site.backend, ...(status ? { status } : {}) },
    {
      cause: err,
      failure: { kind, backend: site.backend, ...(status ? { status } : {}) },
    },
  );
}

function messageFor(kind: FailureKind, site: FailureSite, err: unknown, status: number | undefined): string {
  const b = `Backend "${site.backend}"`;
  switch (kind) {
    case 'timeout':
      return `${b} did not answer ${site.method} within ${site.timeoutMs === undefined ? 'its timeout' : `${site.timeoutMs / 1000}s`}`;
    case 'cancelled':
      return `${site.method} to backend "${site.backend}" was cancelled`;
    case 'auth':
      return `${b} refused the gateway's credentials for ${site.method}${status ? ` (HTTP ${status})` : ''}`;
    case 'connection':
      return `${b} connection was lost during ${site.method} (${describeError(err)})`;
    case 'too-large':
      return `${b} sent a result for ${site.method} larger than the configured limit`;
    case 'protocol':
      return `${b} sent an invalid response to ${site.method}: ${describeError(err)}`;
  }
}

/** True when the backend answered (its own JSON-RPC error): it is alive, whatever it said. */
export function isBackendAnswer(err: unknown): boolean {
  return err instanceof ProtocolError;
}

/** The failure kind of a raw transport error (its whole cause chain), or undefined when unknown. */
export function failureKindOf(err: unknown): FailureKind | undefined {
  const chain = errorChain(err);
  if (chain.some(isAuthOne)) return 'auth';
  for (let i = chain.length - 1; i >= 0; i--) {
    const kind = kindOfOne(chain[i]);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

function kindOfOne(e: unknown): FailureKind | undefined {
  if (e instanceof VmcpError) return e.failure?.kind;
  if (e instanceof SdkError) return sdkKind(e);
  const status = httpStatusOf(e);
  if (status === 408) return 'timeout';
  if (status !== undefined && (status >= 500 || status === 404)) return 'connection';
  const name = nameOf(e);
  if (name === 'TimeoutError' || TIMEOUT_CODES.has(codeOf(e))) return 'timeout';
  if (name === 'AbortError' || codeOf(e) === 'ABORT_ERR') return 'cancelled';
  if (CONNECTION_CODES.has(codeOf(e))) return 'connection';
  if (name === 'ZodError' || e instanceof SyntaxError) return 'protocol';
  return undefined;
}

function sdkKind(e: SdkError): FailureKind | undefined {
  switch (e.code) {
    case SdkErrorCode.RequestTimeout:
      // The SDK turns an aborted signal into RequestTimeout with String(reason) as the message.
      return e.message.startsWith('AbortError') ? 'cancelled' : 'timeout';
    case SdkErrorCode.ConnectionClosed:
    case SdkErrorCode.NotConnected:
    case SdkErrorCode.SendFailed:
      return 'connection';
    case SdkErrorCode.ClientHttpAuthentication:
    case SdkErrorCode.ClientHttpForbidden:
      return 'auth';
    default: {
      const status = httpStatusOf(e);
      return status !== undefined && (status >= 500 || status === 404) ? 'connection' : undefined;
    }
  }
}

function isAuthOne(e: unknown): boolean {
  if (e instanceof VmcpError) return e.failure?.kind === 'auth';
  if (e instanceof UnauthorizedError || e instanceof OAuthError) return true;
  if (e instanceof SdkError && (e.code === SdkErrorCode.ClientHttpAuthentication || e.code === SdkErrorCode.ClientHttpForbidden))
    return true;
  const status = httpStatusOf(e);
  return status === 401 || status === 403;
}

/** The error and its causes, outermost first (bounded: cause chains can be cyclic). */
function errorChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && chain.length < 8 && !chain.includes(cur)) {
    chain.push(cur);
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/**
 * For a `connection` failure: true when the backend is there but not serving (HTTP 5xx, the MCP
 * connection closed) rather than unreachable (refused, reset, DNS) — status messages say which.
 */
export function isUnavailableNotUnreachable(err: unknown): boolean {
  const chain = errorChain(err);
  if (chain.some((e) => CONNECTION_CODES.has(codeOf(e)) || (e instanceof SdkError && e.code === SdkErrorCode.SendFailed))) return false;
  return chain.some(
    (e) =>
      (httpStatusOf(e) ?? 0) >= 500 ||
      (e instanceof SdkError && (e.code === SdkErrorCode.ConnectionClosed || e.code === SdkErrorCode.NotConnected)) ||
      (e instanceof VmcpError && e.code === ErrorCodes.BACKEND_UNAVAILABLE),
  );
}

export function httpStatusOf(e: unknown): number | undefined {
  if (e instanceof SdkHttpError) return e.status;
  if (e instanceof SseError) return e.code;
  if (e instanceof SdkError) return numberIn(e.data, 'status');
  if (e instanceof VmcpError) return e.failure?.status;
  if (e instanceof Error) return numberIn(e, 'status') ?? numberIn(e, 'statusCode');
  return undefined;
}

function numberIn(obj: unknown, key: string): number | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === 'number' && v >= 100 && v <= 599 ? v : undefined;
}

function codeOf(e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

function nameOf(e: unknown): string {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : '';
}
