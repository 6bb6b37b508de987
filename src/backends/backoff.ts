// Reconnect schedule for supervised backends: exponential with jitter, capped, so a backend that
// fails fast cannot spin the gateway (metamcp#113) and a dead one is still retried forever
// (metamcp#264: a failed server must not stay skipped).

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: share of the delay that is randomised. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}
