// The runtime form of the config: produced once by normalize.ts from the user config, with every
// default filled in, durations in milliseconds, paths resolved and ${VAR} references expanded;
// then deep-frozen. Everything after config/ reads only this form (house rule 5).

export type ConflictResolution = 'prefix' | 'priority' | 'manual';
export type BackendTransport = 'stdio' | 'streamable-http' | 'sse';
export type BackendProtocol = 'auto' | 'legacy' | '2026-07-28';

export interface HealthCheckConfig {
  /** 0 = no periodic probes (state then follows connections and real traffic only). */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly unhealthyThreshold: number;
  readonly degradedThresholdMs: number;
}

export interface CircuitBreakerConfig {
  readonly enabled: boolean;
  readonly failureThreshold: number;
  readonly openMs: number;
}

interface BackendBase {
  readonly name: string;
  /** operational.failureHandling merged with the backend's own `health` overrides. */
  readonly health: HealthCheckConfig;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly protocolVersion: BackendProtocol;
}

export interface StdioBackendConfig extends BackendBase {
  readonly transport: 'stdio';
  /** Absolute path or a bare executable name; `node` is replaced by process.execPath. */
  readonly command: string;
  readonly args: readonly string[];
  /** Only the extra variables from the config; the connector merges them over a safe default env. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute. */
  readonly cwd: string;
}

export interface HttpBackendConfig extends BackendBase {
  readonly transport: 'streamable-http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type BackendConfig = StdioBackendConfig | HttpBackendConfig;

export interface ToolOverride {
  readonly name?: string;
  readonly description?: string;
}

export interface WorkloadToolsConfig {
  readonly workload: string;
  /** Original (backend) tool names to advertise; undefined = all. */
  readonly filter?: readonly string[];
  readonly excludeAll: boolean;
  /** Keyed by the backend's original tool name. */
  readonly overrides: Readonly<Record<string, ToolOverride>>;
}

export interface AggregationConfig {
  readonly conflictResolution: ConflictResolution;
  readonly prefixFormat: string;
  readonly priorityOrder: readonly string[];
  readonly excludeAllTools: boolean;
  readonly maxToolNameLength: number;
  /** Keyed by backend name. */
  readonly tools: Readonly<Record<string, WorkloadToolsConfig>>;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly maxRequestBodyBytes: number;
  readonly sessionTtlMs: number;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly shutdownGracePeriodMs: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface RuntimeConfig {
  readonly name: string;
  /** Absolute path of the file it was loaded from, or undefined for an in-memory config. */
  readonly source?: string;
  readonly server: ServerConfig;
  /** Only enabled backends, in file order. */
  readonly backends: readonly BackendConfig[];
  readonly aggregation: AggregationConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly statusReportingIntervalMs: number;
  readonly logLevel: LogLevel;
}
