// Runtime form of `telemetry:` (normalize-telemetry.ts): every default filled in.
import type { Secret } from './secret.js';

/** Where Prometheus metrics are served: off, on the gateway port, on a port of their own, or both. */
export type MetricsMode = 'off' | 'gateway-port' | 'own-port' | 'both';

export interface TracingConfig {
  /** The OTLP/HTTP traces URL (…/v1/traces). */
  readonly url: string;
  readonly headers: Readonly<Record<string, Secret>>;
  /** 0-1: the share of new root traces kept (a sampled remote parent is always followed). */
  readonly samplingRate: number;
}

export interface TelemetryConfig {
  readonly metrics: MetricsMode;
  /** Set for 'own-port' and 'both'. */
  readonly prometheusPort?: number;
  /** Present only when tracing is on. */
  readonly tracing?: TracingConfig;
  readonly serviceName: string;
  readonly serviceVersion?: string;
  readonly customAttributes: Readonly<Record<string, string>>;
}
