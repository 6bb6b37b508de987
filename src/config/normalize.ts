// User config (zod output, ${VAR} already expanded) → the frozen RuntimeConfig the gateway reads.
// Every default comes from defaults.ts; every duration becomes milliseconds; every path becomes
// absolute; disabled backends disappear, along with every reference to them.
import { isAbsolute, resolve } from 'node:path';
import { DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { normalizeCompositeTools } from './normalize-composite.js';
import { virtualProviders } from './virtual-providers.js';
import { normalizeAuthz, normalizeIncoming, normalizeOutgoing } from './normalize-auth.js';
import { normalizeOptimizer } from './normalize-optimizer.js';
import { normalizeTelemetry } from './normalize-telemetry.js';
import { normalizeSessionStorage } from './normalize-session-storage.js';
import { normalizePinning } from './schema-pinning.js';
import { resolveAuthSources } from './resolve-auth.js';
import { normalizeCodeMode } from './schema-codemode.js';
import { normalizeAudit } from './schema-audit.js';
import { normalizeRateLimit } from './schema-rate-limit.js';
import type { ResolvedAuth } from './resolve-auth.js';
import type { UserBackend, UserConfig } from './schema.js';
import type {
  AggregationConfig,
  BackendConfig,
  BackendLimits,
  CircuitBreakerConfig,
  HealthCheckConfig,
  RuntimeConfig,
  ServerConfig,
  ServerLimits,
  WorkloadToolsConfig,
} from './types.js';

export interface NormalizeOptions {
  /** Absolute path of the file the config came from. */
  readonly source?: string;
  /** Relative stdio `cwd`s resolve against this; default: the source's directory, else process.cwd(). */
  readonly baseDir: string;
  /**
   * Secrets and policy files already read by resolve-auth.ts (load.ts passes them, having
   * reported any problem). Without it they are read here, from process.env and baseDir.
   */
  readonly auth?: ResolvedAuth;
}

export function normalizeConfig(user: UserConfig, options: NormalizeOptions): RuntimeConfig {
  const enabled = (user.backends ?? []).filter((b) => b.disabled !== true);
  const names = new Set(enabled.map((b) => b.name));
  const auth = options.auth ?? resolveAuthSources(user, { env: process.env, baseDir: options.baseDir, ...sourceOf(options) }).resolved;
  const authz = normalizeAuthz(user.incomingAuth, auth);
  const codeMode = normalizeCodeMode(user.codeMode);
  const audit = normalizeAudit(user.audit, user.name, options.baseDir);
  const rateLimiting = normalizeRateLimit(user.rateLimiting);
  const sessionStorage = normalizeSessionStorage(user.sessionStorage);
  const config: RuntimeConfig = {
    name: user.name,
    ...(options.source === undefined ? {} : { source: options.source }),
    server: normalizeServer(user.server),
    backends: enabled.map((b) => normalizeBackend(b, user, options.baseDir)),
    aggregation: normalizeAggregation(user.aggregation, new Set([...names, ...virtualProviders(user as Record<string, unknown>)])),
    pinning: normalizePinning(user.aggregation, sessionStorage, options.baseDir),
    circuitBreaker: normalizeBreaker(user.operational?.failureHandling?.circuitBreaker),
    statusReportingIntervalMs: parseDuration(
      user.operational?.failureHandling?.statusReportingInterval ?? DEFAULTS.statusReportingInterval,
    ),
    logLevel: user.operational?.logLevel ?? DEFAULTS.logLevel,
    incomingAuth: normalizeIncoming(user.incomingAuth, auth),
    ...(authz === undefined ? {} : { authz }),
    outgoingAuth: normalizeOutgoing(user.outgoingAuth, [...names], auth),
    compositeTools: normalizeCompositeTools(user.compositeTools),
    optimizer: normalizeOptimizer(user.optimizer),
    ...(codeMode === undefined ? {} : { codeMode }),
    ...(audit === undefined ? {} : { audit }),
    ...(rateLimiting === undefined ? {} : { rateLimiting }),
    telemetry: normalizeTelemetry(user.telemetry),
    sessionStorage,
    ...(user.groupRef === undefined ? {} : { groupRef: user.groupRef }),
    passthroughHeaders: [...new Set((user.passthroughHeaders ?? []).map((h) => h.toLowerCase()))],
  };
  return deepFreeze(config);
}

function sourceOf(options: NormalizeOptions): { source?: string } {
  return options.source === undefined ? {} : { source: options.source };
}

function normalizeServer(server: UserConfig['server']): ServerConfig {
  return {
    host: server?.host ?? DEFAULTS.host,
    port: server?.port ?? DEFAULTS.port,
    maxRequestBodyBytes: server?.maxRequestBodyBytes ?? DEFAULTS.maxRequestBodyBytes,
    sessionTtlMs: parseDuration(server?.sessionTtl ?? DEFAULTS.sessionTtl),
    allowedHosts: [...(server?.allowedHosts ?? [])],
    allowedOrigins: [...(server?.allowedOrigins ?? [])],
    shutdownGracePeriodMs: parseDuration(server?.shutdownGracePeriod ?? DEFAULTS.shutdownGracePeriod),
    ...(server?.pageSize !== undefined ? { pageSize: server.pageSize } : {}),
    limits: normalizeServerLimits(server?.limits),
  };
}

/**
 * Request-timeout precedence, most specific first: the backend's own `timeouts.request`, then
 * `operational.timeouts.perWorkload[name]` (ToolHive's key), then `operational.timeouts.default`.
 * The backend entry wins because it sits next to the thing it configures; the validator warns
 * when both are set.
 */
export function requestTimeout(backend: UserBackend, user: UserConfig): string {
  const op = user.operational?.timeouts;
  return backend.timeouts?.request ?? op?.perWorkload?.[backend.name] ?? op?.default ?? DEFAULTS.requestTimeout;
}

function normalizeBackend(backend: UserBackend, user: UserConfig, baseDir: string): BackendConfig {
  const base = {
    name: backend.name,
    connectTimeoutMs: parseDuration(backend.timeouts?.connect ?? DEFAULTS.connectTimeout),
    requestTimeoutMs: parseDuration(requestTimeout(backend, user)),
    protocolVersion: backend.protocolVersion ?? DEFAULTS.protocolVersion,
    health: normalizeHealth(backend.health, user.operational?.failureHandling),
    limits: normalizeBackendLimits(backend.limits, user.operational?.limits),
  };
  if (backend.transport !== 'stdio') {
    return { ...base, transport: backend.transport, url: backend.url, headers: { ...backend.headers } };
  }
  const cwd = resolve(baseDir, backend.cwd ?? '.');
  return {
    ...base,
    transport: 'stdio',
    command: resolveCommand(backend.command, cwd),
    args: [...(backend.args ?? [])],
    env: { ...backend.env },
    cwd,
  };
}

type FailureHandling = NonNullable<NonNullable<UserConfig['operational']>['failureHandling']>;

type UserServerLimits = NonNullable<NonNullable<UserConfig['server']>['limits']>;
type UserBackendLimits = NonNullable<UserBackend['limits']>;

function normalizeServerLimits(l: UserServerLimits | undefined): ServerLimits {
  return {
    maxSessions: l?.maxSessions ?? DEFAULTS.maxSessions,
    maxSessionsPerPrincipal: l?.maxSessionsPerPrincipal ?? DEFAULTS.maxSessionsPerPrincipal,
    sessionInitTimeoutMs: parseDuration(l?.sessionInitTimeout ?? DEFAULTS.sessionInitTimeout),
    maxJsonDepth: l?.maxJsonDepth ?? DEFAULTS.maxJsonDepth,
    maxConnections: l?.maxConnections ?? DEFAULTS.maxConnections,
    headersTimeoutMs: parseDuration(l?.headersTimeout ?? DEFAULTS.headersTimeout),
    keepAliveTimeoutMs: parseDuration(l?.keepAliveTimeout ?? DEFAULTS.keepAliveTimeout),
  };
}

/** A backend's own `limits` keys win over operational.limits, which win over defaults. */
function normalizeBackendLimits(own: UserBackendLimits | undefined, global: UserBackendLimits | undefined): BackendLimits {
  return {
    maxResultBytes: own?.maxResultBytes ?? global?.maxResultBytes ?? DEFAULTS.maxResultBytes,
    stderrLinesPerSecond: own?.stderrLinesPerSecond ?? global?.stderrLinesPerSecond ?? DEFAULTS.stderrLinesPerSecond,
    notificationsPerSecond: own?.notificationsPerSecond ?? global?.notificationsPerSecond ?? DEFAULTS.notificationsPerSecond,
    exclusiveWaitMs: parseDuration(own?.exclusiveWait ?? global?.exclusiveWait ?? DEFAULTS.exclusiveWait),
  };
}

/** A backend's own `health` keys win over operational.failureHandling, which wins over defaults. */
function normalizeHealth(own: UserBackend['health'], global: FailureHandling | undefined): HealthCheckConfig {
  return {
    intervalMs: parseDuration(own?.interval ?? global?.healthCheckInterval ?? DEFAULTS.healthCheckInterval),
    timeoutMs: parseDuration(own?.timeout ?? global?.healthCheckTimeout ?? DEFAULTS.healthCheckTimeout),
    unhealthyThreshold: own?.unhealthyThreshold ?? global?.unhealthyThreshold ?? DEFAULTS.unhealthyThreshold,
    degradedThresholdMs: parseDuration(own?.degradedThreshold ?? global?.degradedThreshold ?? DEFAULTS.degradedThreshold),
  };
}

function normalizeBreaker(cb: FailureHandling['circuitBreaker']): CircuitBreakerConfig {
  return {
    enabled: cb?.enabled ?? DEFAULTS.circuitBreakerEnabled,
    failureThreshold: cb?.failureThreshold ?? DEFAULTS.circuitBreakerFailureThreshold,
    openMs: parseDuration(cb?.timeout ?? DEFAULTS.circuitBreakerTimeout),
  };
}

/**
 * A command with a path separator (`./server`, `bin/server`) is resolved against the backend's
 * cwd, as a shell started there would; a bare name (`node`, `npx`) is left for PATH lookup.
 */
function resolveCommand(command: string, cwd: string): string {
  if (isAbsolute(command) || !/[/\\]/.test(command)) return command;
  return resolve(cwd, command);
}

function normalizeAggregation(aggregation: UserConfig['aggregation'], enabled: ReadonlySet<string>): AggregationConfig {
  const config = aggregation?.conflictResolutionConfig;
  const tools: Record<string, WorkloadToolsConfig> = {};
  for (const entry of aggregation?.tools ?? []) {
    if (!enabled.has(entry.workload)) continue;
    tools[entry.workload] = {
      workload: entry.workload,
      ...(entry.filter === undefined ? {} : { filter: [...entry.filter] }),
      excludeAll: entry.excludeAll ?? false,
      overrides: Object.fromEntries(
        Object.entries(entry.overrides ?? {}).map(([k, o]) => [
          k,
          { ...o, ...(o.annotations ? { annotations: { ...o.annotations } } : {}) },
        ]),
      ),
    };
  }
  return {
    conflictResolution: aggregation?.conflictResolution ?? DEFAULTS.conflictResolution,
    prefixFormat: config?.prefixFormat ?? DEFAULTS.prefixFormat,
    priorityOrder: [...new Set(config?.priorityOrder ?? [])].filter((name) => enabled.has(name)),
    excludeAllTools: aggregation?.excludeAllTools ?? false,
    defaultToolVisibility: aggregation?.defaultToolVisibility ?? DEFAULTS.defaultToolVisibility,
    maxToolNameLength: aggregation?.maxToolNameLength ?? DEFAULTS.maxToolNameLength,
    tools,
  };
}

/** Freeze the whole tree: the runtime form is shared by every request and must never change. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
