// Pure functions from per-backend health records to the gateway's summary, phase, messages and
// conditions, and from raw probe errors to sanitized categories. The semantics are
// shared/reference/health-semantics.md; the reference is ToolHive pkg/vmcp/health/monitor.go
// (computeSummary, determinePhase, formatStatusMessage, buildConditions, formatBackendMessage,
// categorizeErrorForMessage) after ToolHive #4866: an `unauthenticated` backend is reachable and
// counts as routable. No clock and no I/O here: the monitor passes everything in.
import type { BackendHealth, CircuitState, Condition, HealthState, Phase, StatusString, Summary } from './types.js';

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

export { categorize, isAuthError } from './categorize.js';
