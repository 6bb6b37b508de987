// Pure functions from per-backend health records to the gateway's summary, phase, messages and
// conditions, and from raw probe errors to sanitized categories. The semantics are
// shared/reference/health-semantics.md; the reference is ToolHive pkg/vmcp/health/monitor.go
// (computeSummary, determinePhase, formatStatusMessage, buildConditions, formatBackendMessage,
// categorizeErrorForMessage) after ToolHive #4866: an `unauthenticated` backend is reachable and
// counts as routable. No clock and no I/O here: the monitor passes everything in.
import { OAuthError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { BackendHealth, CircuitState, Condition, ErrorCategory, HealthState, Phase, StatusString, Summary } from './types.js';

/** The per-backend message of an `unauthenticated` backend whose config lacks credentials (health-semantics.md). */
export const UNCONFIGURED_AUTH_MESSAGE = 'Authentication required: no credentials configured for this backend';
/** The per-backend message of an `unauthenticated` backend that needs each user's credentials. */
export const PER_USER_AUTH_MESSAGE = 'Requires per-user authentication (routable)';

/** Routable = can serve traffic: healthy, or reachable but asking for a user's credentials (ToolHive #4866). */
export function isRoutableState(state: HealthState): boolean {
  return state === 'healthy' || state === 'unauthenticated';
}

/**
 * A backend counts once a probe has finished for it (or its state was set otherwise). As in
 * ToolHive, whose status tracker creates a backend's record on its first recorded result,
 * backends still waiting for their first probe are not in `total` at all; the phase then says
 * Pending while total is 0. A backend whose first probe failed below the threshold is counted
 * (as `unknown`).
 */
export function hasReported(h: BackendHealth): boolean {
  return h.lastCheck !== undefined || h.state !== 'unknown';
}

export function summarize(backends: readonly BackendHealth[]): Summary {
  const s: Summary = { total: 0, healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, unauthenticated: 0 };
  for (const b of backends) {
    if (!hasReported(b)) continue;
    s.total += 1;
    s[b.state] += 1;
  }
  return s;
}

export function routable(s: Summary): number {
  return s.healthy + s.unauthenticated;
}

/** health-semantics.md "Phase": the order of the rules matters (total 0 first). */
export function determinePhase(s: Summary, configured: number): Phase {
  if (s.total === 0) return configured === 0 ? 'Ready' : 'Pending';
  const r = routable(s);
  if (r === s.total) return 'Ready';
  if (r === 0) return 'Failed';
  return 'Degraded';
}

export function statusMessage(s: Summary, configured: number): string {
  if (s.total === 0) return configured === 0 ? 'Ready, no backends configured' : waitingMessage(configured);
  const phase = determinePhase(s, configured);
  if (phase === 'Ready') return readyMessage(s, false);
  const detail = `(${s.degraded} degraded, ${s.unhealthy} unhealthy, ${s.unknown} unknown)`;
  if (phase === 'Failed') return `No routable backends ${detail}`;
  return `${routable(s)}/${s.total} backends routable ${detail}`;
}

export function buildConditions(s: Summary, configured: number): Condition[] {
  const conditions: Condition[] = [
    readyCondition(s, configured),
    {
      type: 'BackendsDiscovered',
      status: 'True',
      reason: 'BackendsDiscovered',
      message: configured === 0 ? 'No backends configured' : `Discovered ${backends(configured)}`,
    },
  ];
  if (s.degraded > 0) {
    conditions.push({ type: 'BackendsDegraded', status: 'True', reason: 'BackendsDegraded', message: `${backends(s.degraded)} degraded` });
  }
  return conditions;
}

function readyCondition(s: Summary, configured: number): Condition {
  const phase = determinePhase(s, configured);
  switch (phase) {
    case 'Ready': {
      const message = s.total === 0 ? 'Ready, no backends configured' : readyMessage(s, true);
      return { type: 'Ready', status: 'True', reason: 'AllBackendsRoutable', message };
    }
    case 'Degraded':
      return { type: 'Ready', status: 'False', reason: 'SomeBackendsUnhealthy', message: `${routable(s)}/${s.total} backends routable` };
    case 'Failed':
      // Renamed from ToolHive's NoHealthyBackends in the seed's review, to match AllBackendsRoutable.
      return { type: 'Ready', status: 'False', reason: 'NoRoutableBackends', message: 'No routable backends available' };
    case 'Pending':
      return { type: 'Ready', status: 'False', reason: 'BackendsPending', message: waitingMessage(configured) };
  }
}

/** The Ready wording; the condition says "are healthy" where the status message says "healthy". */
function readyMessage(s: Summary, condition: boolean): string {
  const h = s.healthy;
  const u = s.unauthenticated;
  if (u === 0) return `All ${backends(h)} ${condition ? (h === 1 ? 'is ' : 'are ') : ''}healthy`;
  if (h === 0) return u === 1 ? '1 backend requires authentication' : `All ${u} backends require authentication`;
  return `${backends(h)} healthy, ${u} ${u === 1 ? 'requires' : 'require'} authentication`;
}

function waitingMessage(configured: number): string {
  return `Waiting for initial health checks (${backends(configured)} configured)`;
}

function backends(n: number): string {
  return `${n} ${n === 1 ? 'backend' : 'backends'}`;
}

const STATUS_STRINGS: Readonly<Record<HealthState, StatusString>> = {
  healthy: 'ready',
  degraded: 'degraded',
  unhealthy: 'unavailable',
  unauthenticated: 'unauthenticated', // its own status since #4866, not `unavailable`
  unknown: 'unknown',
};

export function toStatusString(state: HealthState): StatusString {
  return STATUS_STRINGS[state];
}

/**
 * The per-backend message shown in status: a sanitized category, never a raw error. Pass the
 * backend's degradedThreshold to tell a slow backend from one recovering after failures (both
 * are `degraded`; the record does not say which).
 */
export function backendMessage(h: BackendHealth, degradedThresholdMs?: number): string {
  return circuitPrefix(h.circuit) + baseMessage(h, degradedThresholdMs);
}

function circuitPrefix(circuit: CircuitState): string {
  if (circuit === 'open') return 'Circuit breaker OPEN - ';
  if (circuit === 'half-open') return 'Circuit breaker testing recovery - ';
  return '';
}

function baseMessage(h: BackendHealth, degradedThresholdMs: number | undefined): string {
  // A pending failure (below the threshold, or the run that made it unhealthy) is the news.
  if (h.lastError !== undefined && h.consecutiveFailures > 0) {
    return h.consecutiveFailures > 1 ? `${h.lastError} (failures: ${h.consecutiveFailures})` : h.lastError;
  }
  switch (h.state) {
    case 'healthy':
      return 'Healthy';
    case 'degraded':
      return degradedMessage(h.latencyMs, degradedThresholdMs);
    case 'unhealthy':
      return h.lastError ?? 'Unhealthy';
    case 'unauthenticated':
      return h.auth === 'unconfigured' ? UNCONFIGURED_AUTH_MESSAGE : PER_USER_AUTH_MESSAGE;
    case 'unknown':
      return 'Waiting for first health check';
  }
}

function degradedMessage(latencyMs: number | undefined, thresholdMs: number | undefined): string {
  if (latencyMs === undefined) return 'Degraded performance';
  const ms = Math.round(latencyMs);
  // Without the threshold the record cannot tell a slow backend from a recovering one.
  if (thresholdMs === undefined || thresholdMs <= 0) return `Slow response or recovering from failures (last probe ${ms} ms)`;
  if (latencyMs > thresholdMs) return `Slow response (${ms} ms, threshold ${thresholdMs} ms)`;
  return `Recovering after failures (last probe ${ms} ms)`;
}

// ---- Error categories ----------------------------------------------------------------------

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'ERR_SSL_WRONG_VERSION_NUMBER', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
// Text fallbacks (ToolHive pkg/vmcp/errors.go does the same for errors without a type).
const AUTH_TEXT = /\b40[13] (unauthori[sz]ed|forbidden)\b|\bunauthori[sz]ed \(40[13]\)|\bhttp 40[13]\b|\bstatus code 40[13]\b/i;
const UNAVAILABLE_TEXT = /process exited|connection closed|\b50[0-4] (internal server error|bad gateway|service unavailable|gateway timeout)\b|\bstatus code 50[0-4]\b/i;
const TIMEOUT_TEXT = /\btimed? ?out\b|\btimeout\b|deadline exceeded/i;
const CONNECTION_TEXT = /\b(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b|connection refused|connection reset|no route to host|network is unreachable|broken pipe|socket hang up|fetch failed|getaddrinfo/i;

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
  if (e instanceof SdkError && (e.code === SdkErrorCode.ClientHttpAuthentication || e.code === SdkErrorCode.ClientHttpForbidden)) return true;
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
