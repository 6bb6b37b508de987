// The optional capabilities of a gateway, in order (metrics and traces first: they observe the
// rest). Each entry returns undefined when its config section is absent.
import type { AsyncDisposableStack } from './disposable-stack.js';
import type { Feature, FeatureDeps } from './features.js';
import { statusPageFeature } from './status-page.js';

type FeatureFactory = (deps: FeatureDeps) => Feature | undefined | Promise<Feature | undefined>;

const FACTORIES: readonly FeatureFactory[] = [
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
