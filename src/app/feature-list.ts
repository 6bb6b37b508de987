// The optional capabilities of a gateway, in order (metrics and traces first: they observe the
// rest), each with the config section it is built from. Each factory returns undefined when its
// section is absent. A reload that changes a section rebuilds that feature (live-features.ts);
// `section: undefined` or a restart-only section (telemetry: its listener and registry) keep the
// feature built at start.
import type { RuntimeConfig } from '../config/types.js';
import { auditFeature } from './audit/feature.js';
import { compositeFeature } from './composite.js';
import { codeModeFeature } from './code-mode.js';
import type { Feature, FeatureDeps } from './features.js';
import { optimizerFeature } from './optimizer.js';
import { pinningFeature } from './pinning.js';
import { statusPageFeature } from './status-page.js';
import { rateLimitFeature } from './rate-limit/feature.js';
import { telemetryFeature } from './telemetry/feature.js';

export type FeatureFactory = (deps: FeatureDeps) => Feature | undefined | Promise<Feature | undefined>;

export interface FeatureEntry {
  readonly build: FeatureFactory;
  /** The config section it is built from; a reload that changes it rebuilds the feature. */
  readonly section?: keyof RuntimeConfig;
}

export const FEATURES: readonly FeatureEntry[] = [
  { build: telemetryFeature }, // restart-only: its registry and /metrics listener live with the process
  { build: auditFeature, section: 'audit' },
  { build: pinningFeature }, // after audit: a call refused by pinning is audited; its own reload applies a new policy
  { build: rateLimitFeature, section: 'rateLimiting' },
  { build: compositeFeature, section: 'compositeTools' },
  { build: codeModeFeature, section: 'codeMode' },
  { build: optimizerFeature, section: 'optimizer' },
  { build: statusPageFeature }, // GET / and /ui, /api/stats
];

/** The sections a reload applies by rebuilding their feature. */
export const RELOADABLE_SECTIONS: readonly (keyof RuntimeConfig)[] = FEATURES.flatMap((e) => (e.section ? [e.section] : []));
