// Cross-field rules of tool pinning: a pin store that nothing uses, and a pin file where replicas
// share sessions (each replica would keep pins of its own).
import { isRecord } from './expand-env.js';
import { warning } from './issues.js';
import type { RawIssue } from './issues.js';

export function pinningIssues(data: Record<string, unknown>): RawIssue[] {
  const aggregation = data.aggregation;
  if (!isRecord(aggregation) || aggregation.pinStore === undefined) return [];
  const policy = aggregation.pinning;
  if (policy === undefined || policy === 'off')
    return [
      warning(['aggregation', 'pinStore'], 'aggregation.pinStore has no effect while aggregation.pinning is off (the default)', true),
    ];
  const storage = data.sessionStorage;
  if (isRecord(storage) && storage.provider === 'redis')
    return [
      warning(
        ['aggregation', 'pinStore'],
        'with sessionStorage.provider: redis each replica keeps its own pin file; leave aggregation.pinStore unset to keep the pins in Redis, shared by every replica',
        true,
      ),
    ];
  return [];
}
