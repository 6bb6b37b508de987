// Cross-field rules: what a per-field schema cannot say (uniqueness, references between
// sections, strategy prerequisites). They run on the raw data, defensively, so they report even
// when the same file also has schema errors — all problems at once (house rule 4).
// Conflicts between tool names are NOT checked here: they are only known after discovery.
import { MAX_TIMER_MS, tryParseDuration } from './duration.js';
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import { MANAGED_HEADERS } from './schema-common.js';
import type { PathSegment, RawIssue } from './issues.js';
import type { BackendIndex } from './backend-index.js';
import { aggregationIssues } from './validate-aggregation.js';
import { incomingAuthIssues } from './validate-auth.js';
import { healthIssues } from './validate-health.js';
import { rateLimitIssues } from './validate-meter.js';
import { outgoingAuthIssues } from './validate-outgoing.js';
import { pinningIssues } from './validate-pinning.js';
import { reservedNameIssues, virtualProviders } from './virtual-providers.js';
import { toolhiveIssues } from './validate-toolhive.js';

export type { BackendIndex } from './backend-index.js';

export function crossFieldIssues(data: unknown): RawIssue[] {
  if (!isRecord(data)) return [];
  const issues: RawIssue[] = [];
  const index = indexBackends(data.backends, issues);
  issues.push(...durationIssues(data), ...headerIssues(data.backends), ...incomingAuthIssues(data));
  const providers = virtualProviders(data);
  issues.push(...aggregationIssues(data.aggregation, index, providers), ...reservedNameIssues(data, providers));
  issues.push(...perWorkloadIssues(data, index), ...healthIssues(data));
  issues.push(...outgoingAuthIssues(data, index), ...rateLimitIssues(data), ...toolhiveIssues(data));
  issues.push(...pinningIssues(data));
  return issues;
}

function indexBackends(backends: unknown, issues: RawIssue[]): BackendIndex {
  const all = new Map<string, number>();
  const disabled = new Set<string>();
  let enabled = 0;
  list(backends).forEach((backend, i) => {
    if (!isRecord(backend)) return;
    if (backend.disabled !== true) enabled++;
    if (typeof backend.name !== 'string') return;
    const first = all.get(backend.name);
    if (first !== undefined) {
      issues.push(error(['backends', i, 'name'], `duplicate backend name "${backend.name}": backends[${first}] and backends[${i}]`));
      return;
    }
    all.set(backend.name, i);
    if (backend.disabled === true) disabled.add(backend.name);
  });
  if (Array.isArray(backends) && enabled === 0) {
    issues.push(warning(['backends'], 'no enabled backends: the gateway will start but serve no tools'));
  }
  return { all, disabled };
}

/** Every duration the file can hold, with whether zero is meaningful there. */
function durationIssues(data: Record<string, unknown>): RawIssue[] {
  const found: { path: PathSegment[]; value: unknown; zeroOk: boolean }[] = [];
  const server = isRecord(data.server) ? data.server : {};
  found.push({ path: ['server', 'sessionTtl'], value: server.sessionTtl, zeroOk: false });
  found.push({ path: ['server', 'shutdownGracePeriod'], value: server.shutdownGracePeriod, zeroOk: true });
  list(data.backends).forEach((backend, i) => {
    const timeouts = isRecord(backend) && isRecord(backend.timeouts) ? backend.timeouts : {};
    for (const key of ['connect', 'request']) found.push({ path: ['backends', i, 'timeouts', key], value: timeouts[key], zeroOk: false });
  });
  const op = isRecord(data.operational) && isRecord(data.operational.timeouts) ? data.operational.timeouts : {};
  found.push({ path: ['operational', 'timeouts', 'default'], value: op.default, zeroOk: false });
  const auth = isRecord(data.incomingAuth) && isRecord(data.incomingAuth.oidc) ? data.incomingAuth.oidc : {};
  found.push({ path: ['incomingAuth', 'oidc', 'clockSkew'], value: auth.clockSkew, zeroOk: true });
  for (const [name, value] of Object.entries(isRecord(op.perWorkload) ? op.perWorkload : {})) {
    found.push({ path: ['operational', 'timeouts', 'perWorkload', name], value, zeroOk: false });
  }
  return found.flatMap(({ path, value, zeroOk }) => {
    const ms = tryParseDuration(value);
    if (ms === undefined) return [];
    if (ms === 0 && !zeroOk) return [error(path, 'must be greater than 0')];
    if (ms > MAX_TIMER_MS) return [error(path, 'must be at most 596h (the longest timer Node.js supports)')];
    return [];
  });
}

function headerIssues(backends: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  list(backends).forEach((backend, i) => {
    const headers = isRecord(backend) && isRecord(backend.headers) ? backend.headers : {};
    for (const [name, value] of Object.entries(headers)) {
      const path = ['backends', i, 'headers', name];
      if (MANAGED_HEADERS.has(name.toLowerCase())) {
        issues.push(error(path, `header "${name}" is managed by the transport and cannot be set`, true));
      }
      // Checked after ${VAR} expansion: a line break would let a value inject extra headers.
      if (typeof value === 'string' && /[\r\n\0]/.test(value)) {
        issues.push(error(path, `header "${name}" value must not contain line breaks or NUL (value not shown)`));
      }
    }
  });
  return issues;
}

function perWorkloadIssues(data: Record<string, unknown>, index: BackendIndex): RawIssue[] {
  const op = isRecord(data.operational) && isRecord(data.operational.timeouts) ? data.operational.timeouts : {};
  const perWorkload = isRecord(op.perWorkload) ? op.perWorkload : {};
  const issues: RawIssue[] = [];
  for (const name of Object.keys(perWorkload)) {
    const path = ['operational', 'timeouts', 'perWorkload', name];
    const at = index.all.get(name);
    if (at === undefined) {
      issues.push(error(path, `no backend is named "${name}"`, true));
      continue;
    }
    const backend = list(data.backends)[at];
    if (isRecord(backend) && isRecord(backend.timeouts) && backend.timeouts.request !== undefined) {
      issues.push(warning(path, `ignored: backends[${at}].timeouts.request takes precedence`, true));
    }
  }
  return issues;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
