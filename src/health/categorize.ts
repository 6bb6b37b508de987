// From raw probe and call errors to sanitized categories (auth, timeout, connection, ...), for
// health messages. The reference is ToolHive pkg/vmcp/health/monitor.go (categorizeErrorForMessage).
import { OAuthError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { ErrorCategory } from './types.js';

// ---- Error categories ----------------------------------------------------------------------

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
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
// Text fallbacks (ToolHive pkg/vmcp/errors.go does the same for errors without a type).
const AUTH_TEXT = /\b40[13] (unauthori[sz]ed|forbidden)\b|\bunauthori[sz]ed \(40[13]\)|\bhttp 40[13]\b|\bstatus code 40[13]\b/i;
const UNAVAILABLE_TEXT =
  /process exited|connection closed|\b50[0-4] (internal server error|bad gateway|service unavailable|gateway timeout)\b|\bstatus code 50[0-4]\b/i;
const TIMEOUT_TEXT = /\btimed? ?out\b|\btimeout\b|deadline exceeded/i;
const CONNECTION_TEXT =
  /\b(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b|connection refused|connection reset|no route to host|network is unreachable|broken pipe|socket hang up|fetch failed|getaddrinfo/i;

/** True when the error, or anything in its cause chain, is an HTTP 401/403 or an MCP auth error. */
export function isAuthError(err: unknown): boolean {
  return errorChain(err).some((e) => isAuthOne(e) || AUTH_TEXT.test(messageOf(e)));
}

/**
 * Maps an error to a sanitized category. Auth anywhere in the cause chain wins (it decides the
 * `unauthenticated` state); otherwise the deepest error that says what happened wins, because
 * wrappers (VmcpError BACKEND_FAILED, TypeError "fetch failed") are vaguer than their causes.
 */
export function categorize(err: unknown): ErrorCategory {
  if (isAuthError(err)) return 'Authentication failed';
  const chain = errorChain(err);
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = classifyByType(chain[i]) ?? classifyByText(messageOf(chain[i]));
    if (c !== undefined) return c;
  }
  return 'Health check failed';
}

function classifyByType(e: unknown): ErrorCategory | undefined {
  if (isTimeoutOne(e)) return 'Health check timed out';
  if (isCancelOne(e)) return 'Health check cancelled';
  if (isUnavailableOne(e)) return 'Backend unavailable';
  if (isConnectionOne(e)) return 'Connection failed';
  return undefined;
}

function classifyByText(text: string): ErrorCategory | undefined {
  if (text === '') return undefined;
  if (UNAVAILABLE_TEXT.test(text)) return 'Backend unavailable';
  if (TIMEOUT_TEXT.test(text)) return 'Health check timed out';
  if (CONNECTION_TEXT.test(text)) return 'Connection failed';
  return undefined;
}

function isAuthOne(e: unknown): boolean {
  if (e instanceof UnauthorizedError || e instanceof OAuthError) return true;
  if (e instanceof SdkError && (e.code === SdkErrorCode.ClientHttpAuthentication || e.code === SdkErrorCode.ClientHttpForbidden))
    return true;
  const status = httpStatusOf(e);
  return status === 401 || status === 403;
}

function isTimeoutOne(e: unknown): boolean {
  if (e instanceof VmcpError) return e.code === ErrorCodes.BACKEND_TIMEOUT;
  // The SDK turns an aborted signal into RequestTimeout with String(reason) as the message.
  if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) return !/^AbortError\b/.test(e.message);
  if (nameOf(e) === 'TimeoutError' || httpStatusOf(e) === 408) return true;
  return TIMEOUT_CODES.has(codeOf(e));
}

function isCancelOne(e: unknown): boolean {
  if (e instanceof VmcpError) return e.code === ErrorCodes.CANCELLED;
  if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) return true; // the AbortError case
  return nameOf(e) === 'AbortError' || codeOf(e) === 'ABORT_ERR';
}

function isUnavailableOne(e: unknown): boolean {
  if (e instanceof VmcpError) return e.code === ErrorCodes.BACKEND_UNAVAILABLE;
  if (e instanceof SdkError && (e.code === SdkErrorCode.ConnectionClosed || e.code === SdkErrorCode.NotConnected)) return true;
  return (httpStatusOf(e) ?? 0) >= 500;
}

function isConnectionOne(e: unknown): boolean {
  if (e instanceof SdkError && e.code === SdkErrorCode.SendFailed) return true;
  return CONNECTION_CODES.has(codeOf(e));
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

function httpStatusOf(e: unknown): number | undefined {
  if (e instanceof SdkHttpError) return e.status;
  if (e instanceof SseError) return e.code;
  if (e instanceof SdkError) return numberIn(e.data, 'status');
  if (e instanceof VmcpError) return numberIn(e.details, 'status');
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

function messageOf(e: unknown): string {
  if (typeof e === 'string') return e;
  const msg = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
  return typeof msg === 'string' ? msg : '';
}
