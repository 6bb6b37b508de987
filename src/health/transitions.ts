// The per-backend health state machine, as a pure function of (previous record, probe outcome).
// Reference: ToolHive pkg/vmcp/health/status.go (statusTracker.RecordSuccess / RecordFailure) and
// checker.go (CheckHealth: degraded when slower than degradedThreshold), with the vmcp rules of
// shared/reference/health-semantics.md: an auth answer (401/403) makes the backend
// `unauthenticated` — reachable and routable — at once.
import type { AuthRequirement, BackendHealth, ErrorCategory, HealthState } from './types.js';

export type ProbeOutcome = { ok: true; latencyMs: number } | { ok: false; category: ErrorCategory; auth?: AuthRequirement };

export interface TransitionOptions {
  /** Consecutive failures before a backend is unhealthy (ToolHive default 3; values < 1 act as 1). */
  unhealthyThreshold: number;
  /** A success slower than this is degraded (ToolHive default 5000; 0 or less disables it). */
  degradedThresholdMs: number;
  /** Epoch milliseconds of this outcome (the injected clock). */
  now: number;
}

/** The record of a backend before its first probe finishes. */
export function initialHealth(name: string): BackendHealth {
  return { name, state: 'unknown', consecutiveFailures: 0, circuit: 'closed' };
}

/**
 * True for outcomes that count against the backend (failure counter, circuit breaker). An auth
 * answer does not: it proves the backend is up, and `unauthenticated` is routable, so it must not
 * open a circuit and fail real users' calls fast.
 */
export function countsAsFailure(outcome: ProbeOutcome): boolean {
  return !outcome.ok && outcome.category !== 'Authentication failed';
}

export function nextHealth(prev: BackendHealth, outcome: ProbeOutcome, opts: TransitionOptions): BackendHealth {
  let next: BackendHealth;
  if (outcome.ok) next = onSuccess(prev, outcome.latencyMs, opts);
  else if (outcome.category === 'Authentication failed') next = onAuthFailure(prev, outcome.auth, opts.now);
  else next = onFailure(prev, outcome.category, opts);
  if (next.state !== prev.state) next.lastTransition = opts.now;
  return next;
}

/**
 * ToolHive RecordSuccess: the first success after any failure (even below the threshold) is
 * `degraded` ("recovering"); the failure count is reset, so the next success decides by latency
 * alone — recovery is held for exactly one probe interval.
 */
function onSuccess(prev: BackendHealth, latencyMs: number, opts: TransitionOptions): BackendHealth {
  const slow = opts.degradedThresholdMs > 0 && latencyMs > opts.degradedThresholdMs;
  const recovering = prev.consecutiveFailures > 0;
  const state: HealthState = slow || recovering ? 'degraded' : 'healthy';
  return { ...withoutProblem(prev), state, consecutiveFailures: 0, lastCheck: opts.now, latencyMs };
}

/**
 * vmcp: unauthenticated at once and with no failure counted. ToolHive (as of #4866) ran the 401
 * through the failure threshold, so an all-OAuth gateway sat in Pending/unknown for
 * `unhealthyThreshold` intervals and could trip the breaker; a 401 is a definite answer from a
 * live backend, not a transient failure.
 */
function onAuthFailure(prev: BackendHealth, auth: AuthRequirement | undefined, now: number): BackendHealth {
  return {
    ...withoutProblem(prev),
    state: 'unauthenticated',
    consecutiveFailures: 0,
    lastCheck: now,
    lastError: 'Authentication failed',
    auth: auth ?? 'per-user',
  };
}

/**
 * ToolHive RecordFailure: count the failure; at the threshold the backend is unhealthy; below it
 * the previous state stands (so a backend whose first probes fail stays `unknown`).
 */
function onFailure(prev: BackendHealth, category: ErrorCategory, opts: TransitionOptions): BackendHealth {
  const failures = prev.consecutiveFailures + 1;
  const threshold = Math.max(1, Math.floor(opts.unhealthyThreshold));
  if (failures >= threshold) {
    return { ...withoutProblem(prev), state: 'unhealthy', consecutiveFailures: failures, lastCheck: opts.now, lastError: category };
  }
  return { ...prev, consecutiveFailures: failures, lastCheck: opts.now, lastError: category };
}

/** The record without lastError and auth (so no key is present with an undefined value). */
function withoutProblem(h: BackendHealth): BackendHealth {
  const copy = { ...h };
  delete copy.lastError;
  delete copy.auth;
  return copy;
}
