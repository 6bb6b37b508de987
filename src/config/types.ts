// The runtime form of the config: produced once by normalize.ts from the user config, with every
// default filled in, durations in milliseconds, paths resolved and ${VAR} references expanded;
// then deep-frozen. Everything after config/ reads only this form (house rule 5).
import type { Secret } from './secret.js';
import type { ApiKeyConfig, IntrospectionConfig, LocalIncomingAuth } from './types-incoming.js';

export type { ApiKeyConfig, IntrospectionConfig, LocalIncomingAuth } from './types-incoming.js';
import type { CompositeToolConfig } from './types-composite.js';
import type { AuditConfig, RateLimitConfig } from './types-meter.js';
import type { PinningConfig } from './types-pinning.js';
import type { SessionStorageConfig } from './types-session-storage.js';
import type { TelemetryConfig } from './types-telemetry.js';

export type * from './types-composite.js';
export type * from './types-meter.js';
export type * from './types-pinning.js';
export type * from './types-session-storage.js';
export type * from './types-telemetry.js';
export type * from './types-tools.js';
import type { CodeModeConfig, OptimizerConfig } from './types-tools.js';

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

/** Bounds on what one backend can make the gateway hold (operational.limits, backends[].limits). */
export interface BackendLimits {
  readonly maxResultBytes: number;
  readonly stderrLinesPerSecond: number;
  readonly notificationsPerSecond: number;
  readonly exclusiveWaitMs: number;
}

/** Bounds on what clients can make the gateway hold (server.limits). */
export interface ServerLimits {
  readonly maxSessions: number;
  readonly maxSessionsPerPrincipal: number;
  readonly sessionInitTimeoutMs: number;
  readonly maxJsonDepth: number;
  readonly maxConnections: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

interface BackendBase {
  readonly name: string;
  readonly limits: BackendLimits;
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

/** The MCP tool annotation hints an override may set; absent fields keep the backend's. */
export interface AnnotationOverride {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface ToolOverride {
  readonly name?: string;
  readonly description?: string;
  readonly annotations?: AnnotationOverride;
}

/** allow: every backend's tools are advertised; deny: only backends with an aggregation.tools entry. */
export type ToolVisibility = 'allow' | 'deny';

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
  readonly defaultToolVisibility: ToolVisibility;
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
  /** Items per page of the gateway's own list responses; unset: 2025-era lists whole, 2026-07-28 ones in pages of DEFAULTS.modernPageSize. */
  readonly pageSize?: number;
  readonly limits: ServerLimits;
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
  /** From aggregation.pinning / aggregation.pinStore. */
  readonly pinning: PinningConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly statusReportingIntervalMs: number;
  readonly logLevel: LogLevel;
  readonly incomingAuth: IncomingAuthConfig;
  /** Present when `incomingAuth.authz` is configured; policy files already read. */
  readonly authz?: AuthzConfig;
  /** One entry per enabled backend, `outgoingAuth.default` applied where it has none. */
  readonly outgoingAuth: Readonly<Record<string, OutgoingAuthConfig>>;
  /** Workflows advertised as tools, in file order (docs/composite-tools.md). */
  readonly compositeTools: readonly CompositeToolConfig[];
  readonly optimizer: OptimizerConfig;
  /** Present only when `codeMode.enabled` is true (docs/code-mode.md). */
  readonly codeMode?: CodeModeConfig;
  /** Present when `audit:` is configured and not disabled (docs/audit.md). */
  readonly audit?: AuditConfig;
  /** Present when `rateLimiting:` is configured. */
  readonly rateLimiting?: RateLimitConfig;
  /** Prometheus metrics (on by default) and OpenTelemetry traces (docs/observability.md). */
  readonly telemetry: TelemetryConfig;
  readonly sessionStorage: SessionStorageConfig;
  /** ToolHive's group name, as configured (shown as `group_ref` in /status). */
  readonly groupRef?: string;
  /** Client request headers copied to every HTTP backend request (lower-case names; empty = none). */
  readonly passthroughHeaders: readonly string[];
}

// ---- Identity (issue 6). Secrets are `Secret`s: they print as *** in JSON, logs and errors. ----

export interface AnonymousIncomingAuth {
  readonly type: 'anonymous';
  /** Whether anonymous access was explicitly allowed on a non-loopback host. */
  readonly allowRemoteAnonymous: boolean;
  /** Optional: a request carrying a valid key is that key's principal; an unknown key is refused. */
  readonly apiKeys: readonly ApiKeyConfig[];
}

export interface OidcIncomingAuth {
  readonly type: 'oidc';
  readonly allowRemoteAnonymous: boolean;
  readonly issuer: string;
  /** The gateway's resource URL: a token's `aud` must contain it. */
  readonly audience: string;
  /** RFC 9728 resource identifier (default: audience), exactly as configured (no added slash). */
  readonly resource: string;
  /** Undefined: taken from the issuer's discovery document. */
  readonly jwksUrl?: string;
  /** Required scopes: every token must carry all of them. */
  readonly scopes: readonly string[];
  readonly clockSkewMs: number;
  readonly insecureAllowHttp: boolean;
  readonly apiKeys: readonly ApiKeyConfig[];
  readonly introspection?: IntrospectionConfig;
}

export type IncomingAuthConfig = AnonymousIncomingAuth | OidcIncomingAuth | LocalIncomingAuth;

export interface AuthzPolicy {
  /** Stable name for messages: the file as written in the config, or `policies[i]`. */
  readonly id: string;
  readonly text: string;
  /** Absolute path of the policy file, or `<config path>#incomingAuth.authz.policies[i]` (`inline#…` in memory). */
  readonly source: string;
}

export interface AuthzConfig {
  readonly type: 'cedar';
  readonly policies: readonly AuthzPolicy[];
  readonly entitiesJson: string;
}

export interface UnauthenticatedOutgoing {
  readonly type: 'unauthenticated';
}

/** An env var name or an absolute file path. */
export type SecretSource = { readonly env: string } | { readonly file: string };

export interface HeaderInjectionOutgoing {
  readonly type: 'header_injection';
  /** HTTP backends: the header to set. */
  readonly headerName?: string;
  /** stdio backends: the child's env var that receives the value. */
  readonly envName?: string;
  readonly value: Secret;
  /** Where the value came from, for messages (never the value itself). */
  readonly valueFrom: SecretSource;
}

export type SubjectTokenType =
  'urn:ietf:params:oauth:token-type:access_token' | 'urn:ietf:params:oauth:token-type:id_token' | 'urn:ietf:params:oauth:token-type:jwt';

export interface TokenExchangeOutgoing {
  readonly type: 'token_exchange';
  readonly tokenUrl: string;
  readonly clientId?: string;
  readonly clientSecret?: Secret;
  readonly audience?: string;
  readonly scopes: readonly string[];
  /** RFC 8693 §3 URN of the caller's token type. */
  readonly subjectTokenType: SubjectTokenType;
}

export interface ClientCredentialsOutgoing {
  readonly type: 'client_credentials';
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly audience?: string;
  readonly scopes: readonly string[];
}

export interface UpstreamInjectOutgoing {
  readonly type: 'token_passthrough';
  /** `Authorization` (value `Bearer <token>`) unless configured otherwise (then the bare token). */
  readonly headerName: string;
}

export type OutgoingAuthConfig =
  UnauthenticatedOutgoing | HeaderInjectionOutgoing | TokenExchangeOutgoing | ClientCredentialsOutgoing | UpstreamInjectOutgoing;
