// The optional capabilities of a gateway, in order (metrics and traces first: they observe the
// rest). Each entry returns undefined when its config section is absent.
import { auditFeature } from './audit/feature.js';
import { compositeFeature } from './composite.js';
import { codeModeFeature } from './code-mode.js';
import type { AsyncDisposableStack } from './disposable-stack.js';
import type { Feature, FeatureDeps } from './features.js';
import { optimizerFeature } from './optimizer.js';
import { pinningFeature } from './pinning.js';
import { statusPageFeature } from './status-page.js';
import { rateLimitFeature } from './rate-limit/feature.js';
import { telemetryFeature } from './telemetry/feature.js';

type FeatureFactory = (deps: FeatureDeps) => Feature | undefined | Promise<Feature | undefined>;

const FACTORIES: readonly FeatureFactory[] = [
  telemetryFeature,
  auditFeature,
  pinningFeature, // after audit: a call refused by pinning is audited
  rateLimitFeature,
  compositeFeature,
  codeModeFeature,
  optimizerFeature,
  statusPageFeature, // GET / and /ui, /api/stats
];

export async function buildFeatures(deps: FeatureDeps, stack: AsyncDisposableStack): Promise<Feature[]> {
  const features: Feature[] = [];
  for (const factory of FACTORIES) {
    const f = await factory(deps);
    if (!f) continue;
    if (f.close) stack.defer(() => f.close!());
    features.push(f);
  }
  return features;
}
