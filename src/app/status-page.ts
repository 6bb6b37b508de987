// The status page feature (always on): the page and its call stats on the gateway port. It shows
// nothing /status does not already show (plus call rates and latencies), behind the same guard.
import { statusPageRoutes } from '../edge/ui/status-page.js';
import { CallStats } from './call-stats.js';
import type { Feature, FeatureDeps } from './features.js';

export function statusPageFeature(deps: FeatureDeps): Feature | undefined {
  const stats = new CallStats({ isBackend: (name) => deps.connectors.has(name) });
  return {
    name: 'status-page',
    routes: statusPageRoutes(() => stats.snapshot()),
    close: () => stats[Symbol.dispose](),
  };
}
