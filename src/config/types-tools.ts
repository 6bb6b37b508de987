// Runtime config of tool search (`optimizer:`) and code mode (`codeMode:`).
import type { Secret } from './secret.js';

/** off: the key is absent (every tool advertised); keyword: BM25 only; hybrid: BM25 + embeddings. */
export type OptimizerMode = 'off' | 'keyword' | 'hybrid';
export type EmbeddingProvider = 'tei' | 'openai';

export interface EmbeddingServiceConfig {
  readonly provider: EmbeddingProvider;
  /** Base URL, no trailing slash. */
  readonly url: string;
  /** Required for openai; TEI serves the model it was started with. */
  readonly model?: string;
  /** openai only; values may have come from ${VAR}. */
  readonly headers: Readonly<Record<string, Secret>>;
  readonly timeoutMs: number;
}

export interface OptimizerConfig {
  readonly mode: OptimizerMode;
  readonly maxToolsToReturn: number;
  /** Present exactly when mode is hybrid. */
  readonly embedding?: EmbeddingServiceConfig;
  readonly hybridSearchSemanticRatio: number;
  readonly semanticDistanceThreshold: number;
  readonly alwaysAdvertise: readonly string[];
  /** Undefined: the built-in description. */
  readonly findToolDescription?: string;
}

/** The execute_tool_script sandbox's limits; every one ends a script with an error naming it. */
export interface CodeModeConfig {
  readonly stepLimit: number;
  readonly parallelMaxConcurrency: number;
  readonly toolCallTimeoutMs: number;
  readonly scriptTimeoutMs: number;
  readonly memoryLimitBytes: number;
  readonly maxToolCalls: number;
  readonly maxPendingCalls: number;
  readonly maxResultBytes: number;
  readonly workers: number;
}
