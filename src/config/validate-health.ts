// Cross-field rules for health checks and circuit breaking (ToolHive: healthCheckTimeout must be
// shorter than healthCheckInterval; the breaker timeout is at least 1s when enabled).
import { DEFAULTS } from './defaults.js';
import { MAX_TIMER_MS, tryParseDuration } from './duration.js';
import { isRecord } from './expand-env.js';
import { error } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

export function healthIssues(data: Record<string, unknown>): RawIssue[] {
  const fh = rec(rec(data.operational).failureHandling);
  const cb = rec(fh.circuitBreaker);
  const issues = [
    ...range(['operational', 'failureHandling', 'healthCheckInterval'], fh.healthCheckInterval, true),
    ...range(['operational', 'failureHandling', 'healthCheckTimeout'], fh.healthCheckTimeout, false),
    ...range(['operational', 'failureHandling', 'degradedThreshold'], fh.degradedThreshold, false),
    ...range(['operational', 'failureHandling', 'statusReportingInterval'], fh.statusReportingInterval, true),
    ...timeoutBelowInterval(
      ['operational', 'failureHandling'],
      fh.healthCheckTimeout,
      fh.healthCheckInterval,
      'healthCheckTimeout',
      'healthCheckInterval',
    ),
  ];
  const breakerTimeout = tryParseDuration(cb.timeout);
  if (cb.enabled === true && breakerTimeout !== undefined && breakerTimeout < 1000) {
    issues.push(
      error(['operational', 'failureHandling', 'circuitBreaker', 'timeout'], 'must be at least 1s when the circuit breaker is enabled'),
    );
  }
  (Array.isArray(data.backends) ? data.backends : []).forEach((b, i) => {
    const h = rec(rec(b).health);
    const at: PathSegment[] = ['backends', i, 'health'];
    issues.push(
      ...range([...at, 'interval'], h.interval, true),
      ...range([...at, 'timeout'], h.timeout, false),
      ...range([...at, 'degradedThreshold'], h.degradedThreshold, false),
    );
    const interval = h.interval ?? fh.healthCheckInterval;
    const timeout = h.timeout ?? fh.healthCheckTimeout;
    if (h.interval !== undefined || h.timeout !== undefined)
      issues.push(...timeoutBelowInterval(at, timeout, interval, 'timeout', 'interval'));
  });
  return issues;
}

function range(path: PathSegment[], value: unknown, zeroOk: boolean): RawIssue[] {
  const ms = tryParseDuration(value);
  if (ms === undefined) return [];
  if (ms === 0 && !zeroOk) return [error(path, 'must be greater than 0')];
  if (ms > MAX_TIMER_MS) return [error(path, 'must be at most 596h (the longest timer Node.js supports)')];
  return [];
}

function timeoutBelowInterval(at: PathSegment[], timeout: unknown, interval: unknown, tName: string, iName: string): RawIssue[] {
  const t = tryParseDuration(timeout ?? DEFAULTS.healthCheckTimeout);
  const i = tryParseDuration(interval ?? DEFAULTS.healthCheckInterval);
  if (t === undefined || i === undefined || i === 0 || t < i) return [];
  return [error([...at, timeout === undefined ? iName : tName], `${tName} (${t}ms) must be shorter than ${iName} (${i}ms)`)];
}
