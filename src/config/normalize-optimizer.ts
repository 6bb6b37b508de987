// `optimizer:` → OptimizerConfig. Absent key = mode off; present = keyword, or hybrid when an
// embedding service is named. Defaults come from defaults.ts; header values become Secrets.
import { DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import type { UserOptimizer } from './schema-optimizer.js';
import { Secret } from './secret.js';
import type { EmbeddingServiceConfig, OptimizerConfig } from './types.js';

export function normalizeOptimizer(user: UserOptimizer | undefined): OptimizerConfig {
  const embedding = user?.embeddingService === undefined ? undefined : normalizeEmbedding(user, user.embeddingService);
  return {
    mode: user === undefined ? 'off' : embedding === undefined ? 'keyword' : 'hybrid',
    maxToolsToReturn: user?.maxToolsToReturn ?? DEFAULTS.maxToolsToReturn,
    ...(embedding === undefined ? {} : { embedding }),
    hybridSearchSemanticRatio: Number(user?.hybridSearchSemanticRatio ?? DEFAULTS.hybridSearchSemanticRatio),
    semanticDistanceThreshold: Number(user?.semanticDistanceThreshold ?? DEFAULTS.semanticDistanceThreshold),
    alwaysAdvertise: [...new Set(user?.alwaysAdvertise ?? [])],
    ...(user?.findToolDescription === undefined ? {} : { findToolDescription: user.findToolDescription }),
  };
}

function normalizeEmbedding(user: UserOptimizer, url: string): EmbeddingServiceConfig {
  const headers: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(user.embeddingHeaders ?? {})) headers[name] = new Secret(value);
  return {
    provider: user.embeddingProvider ?? DEFAULTS.embeddingProvider,
    url: url.replace(/\/+$/, ''),
    ...(user.embeddingModel === undefined ? {} : { model: user.embeddingModel }),
    headers,
    timeoutMs: parseDuration(user.embeddingServiceTimeout ?? DEFAULTS.embeddingServiceTimeout),
  };
}
