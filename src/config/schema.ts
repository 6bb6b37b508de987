// The user-facing config schema: the single source of truth for the YAML file, the generated
// JSON Schema (schema/vmcp-config.schema.json) and `vmcp validate`. Every object is strict:
// an unknown key is an error (house rule 4). Where ToolHive's vMCP has a key for the same thing we
// use its name and meaning (aggregation.*, operational.timeouts.*), so its users feel at home.
import { z } from 'zod';
import { pinningKeys } from './schema-pinning.js';
import { incomingAuthSchema, outgoingAuthSchema } from './schema-auth.js';
import { compositeToolSchema } from './schema-composite.js';
import { optimizerSchema } from './schema-optimizer.js';
import { telemetrySchema } from './schema-telemetry.js';
import { sessionStorageSchema } from './schema-session-storage.js';
import { codeModeSchema } from './schema-codemode.js';
import { auditSchema } from './schema-audit.js';
import { rateLimitSchema } from './schema-rate-limit.js';
import { backendName, duration, envName, headerName, httpUrl as anyHttpUrl } from './schema-common.js';
import { backendLimitsSchema, serverLimitsSchema } from './schema-limits.js';
import { partialFailureMode, toolhiveBackend, toolhiveTopLevel } from './schema-toolhive.js';

export { BACKEND_NAME_PATTERN, DURATION_PATTERN, duration } from './schema-common.js';

const timeouts = z
  .strictObject({
    connect: duration.optional().describe('How long connecting and discovering capabilities may take (default 30s).'),
    request: duration
      .optional()
      .describe('Per-request timeout for calls to this backend; reset on progress (default: operational.timeouts.default).'),
  })
  .describe('Per-backend timeouts.');

const protocolVersion = z
  .enum(['auto', 'legacy', '2026-07-28'])
  .describe('MCP revision toward this backend: "legacy" (2025-era initialize, default), "2026-07-28", or "auto" (probe).');

const positiveInt = z.number().int().min(1);

const backendHealth = z
  .strictObject({
    interval: duration.optional().describe('Probe interval for this backend (default operational.failureHandling.healthCheckInterval).'),
    timeout: duration.optional().describe('Probe timeout for this backend (default operational.failureHandling.healthCheckTimeout).'),
    unhealthyThreshold: positiveInt.optional().describe('Consecutive failures before this backend is unhealthy.'),
    degradedThreshold: duration.optional().describe('A probe slower than this marks this backend degraded.'),
  })
  .describe('Per-backend overrides of operational.failureHandling.');

const common = {
  name: backendName.describe('Unique backend name; used as {workload} in prefixFormat.'),
  timeouts: timeouts.optional(),
  health: backendHealth.optional(),
  protocolVersion: protocolVersion.optional(),
  limits: backendLimitsSchema.optional().describe('Per-backend overrides of operational.limits.'),
  disabled: z.boolean().optional().describe('Keep the entry in the file but do not start it.'),
  ...toolhiveBackend,
};

export const stdioBackend = z
  .strictObject({
    ...common,
    transport: z.literal('stdio').describe('Spawn a local process and speak MCP over its stdin/stdout.'),
    command: z
      .string()
      .min(1)
      .describe('Executable to spawn (may use ${VAR}). `node` means the Node.js running vmcp; a path with a "/" is relative to cwd.'),
    args: z
      .array(z.string())
      .optional()
      .describe('Command-line arguments (may use ${VAR}, and ${package:NAME} for the directory of an installed npm package).'),
    env: z.record(envName, z.string()).optional().describe('Extra environment variables (values may use ${VAR}; never logged).'),
    cwd: z.string().optional().describe('Working directory, relative to the config file (default: its directory; may use ${VAR}).'),
  })
  .describe('A stdio backend: a local MCP server process.');

const httpHeaders = z
  .record(headerName, z.string())
  .optional()
  .describe('Headers sent with every request to the backend (values may use ${VAR}; never logged).');

const httpUrl = anyHttpUrl.describe('The MCP endpoint URL (may use ${VAR}).');

export const streamableHttpBackend = z
  .strictObject({
    ...common,
    transport: z.literal('streamable-http').describe('A remote MCP server over Streamable HTTP (POST, optional SSE responses).'),
    url: httpUrl,
    headers: httpHeaders,
  })
  .describe('A Streamable HTTP backend.');

export const sseBackend = z
  .strictObject({
    ...common,
    transport: z.literal('sse').describe('A remote MCP server over the 2024-11-05 HTTP+SSE transport (GET stream + POST endpoint).'),
    url: httpUrl,
    headers: httpHeaders,
  })
  .describe('A legacy HTTP+SSE backend.');

export const backendSchema = z.discriminatedUnion('transport', [stdioBackend, streamableHttpBackend, sseBackend]);

const hint = (what: string) => z.boolean().optional().describe(what);

const annotationOverride = z
  .strictObject({
    title: z.string().optional().describe('Human-readable title.'),
    readOnlyHint: hint('The tool does not modify its environment.'),
    destructiveHint: hint('The tool may perform destructive updates.'),
    idempotentHint: hint('Repeated calls with the same arguments have no further effect.'),
    openWorldHint: hint('The tool interacts with an open world of external entities.'),
  })
  .describe("MCP tool annotations (ToolHive key): only the fields set replace the backend's; Cedar policies see the result.");

const toolOverride = z
  .strictObject({
    name: z.string().min(1).optional().describe('The advertised name (before any prefix is applied).'),
    description: z.string().optional().describe('The advertised description.'),
    annotations: annotationOverride.optional(),
  })
  .refine(
    (o) => o.name !== undefined || o.description !== undefined || o.annotations !== undefined,
    'an override needs a name, a description or annotations',
  );

export const workloadToolsSchema = z.strictObject({
  workload: backendName.describe('The backend these settings apply to.'),
  filter: z.array(z.string()).optional().describe("Allow-list of the backend's original tool names to advertise."),
  excludeAll: z.boolean().optional().describe("Advertise none of this backend's tools (default false)."),
  overrides: z
    .record(z.string(), toolOverride)
    .optional()
    .describe("Keyed by the backend's original tool name: a new name and/or description."),
});

export const aggregationSchema = z.strictObject({
  conflictResolution: z
    .enum(['prefix', 'priority', 'manual'])
    .optional()
    .describe('How same-named tools and prompts of different backends are told apart (default prefix).'),
  conflictResolutionConfig: z
    .strictObject({
      prefixFormat: z.string().optional().describe('Prefix template; {workload} is the backend name (default "{workload}_").'),
      priorityOrder: z.array(backendName).optional().describe('For priority: earlier backends win conflicts.'),
    })
    .optional()
    .describe('Settings of the conflict resolution strategies.'),
  excludeAllTools: z.boolean().optional().describe('Advertise no backend tools at all (default false).'),
  defaultToolVisibility: z
    .enum(['allow', 'deny'])
    .optional()
    .describe('Tools of backends without an aggregation.tools entry: "allow" (default) advertises them, "deny" hides them (ToolHive key).'),
  maxToolNameLength: z
    .number()
    .int()
    .min(16)
    .max(128)
    .optional()
    .describe('Names longer than this are shortened with a hash suffix (default 64, the limit clients enforce).'),
  tools: z.array(workloadToolsSchema).optional().describe('Per-backend tool filters and overrides; one entry per backend.'),
  ...pinningKeys,
});

export const serverSchema = z.strictObject({
  host: z.string().min(1).optional().describe('Listen address (default 127.0.0.1).'),
  port: z.number().int().min(0).max(65535).optional().describe('Listen port (default 4483; 0 = any free port).'),
  maxRequestBodyBytes: z.number().int().min(1024).optional().describe('Largest accepted POST body (default 4 MiB); larger gets 413.'),
  sessionTtl: duration.optional().describe('Idle client sessions expire after this long (default 30m).'),
  allowedHosts: z.array(z.string()).optional().describe('Extra Host header values accepted besides the loopback names.'),
  allowedOrigins: z.array(z.string()).optional().describe('Extra Origin values accepted besides loopback origins.'),
  shutdownGracePeriod: duration.optional().describe('How long in-flight calls may finish on SIGTERM (default 10s).'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe(
      'Items per page of tools/list, prompts/list, resources/list (default: a 2025-era client gets each list whole, a 2026-07-28 client pages of 1000).',
    ),
  limits: serverLimitsSchema.optional(),
});

export const operationalSchema = z.strictObject({
  timeouts: z
    .strictObject({
      default: duration.optional().describe('Default per-request backend timeout (default 60s).'),
      perWorkload: z
        .record(backendName, duration)
        .optional()
        .describe("Per-backend request timeouts, keyed by backend name (a backend's own timeouts.request wins)."),
    })
    .optional()
    .describe('Backend request timeouts (ToolHive keys).'),
  failureHandling: z
    .strictObject({
      healthCheckInterval: duration
        .optional()
        .describe('How often each backend is probed with a real MCP exchange (default 30s, jittered; "0s" turns probing off).'),
      healthCheckTimeout: duration.optional().describe('How long one probe may take (default 10s; must be shorter than the interval).'),
      unhealthyThreshold: positiveInt.optional().describe('Consecutive failed probes or calls before a backend is unhealthy (default 3).'),
      degradedThreshold: duration.optional().describe('A successful probe slower than this marks the backend degraded (default 5s).'),
      partialFailureMode,
      statusReportingInterval: duration.optional().describe('How often the gateway logs its status summary (default 30s).'),
      circuitBreaker: z
        .strictObject({
          enabled: z.boolean().optional().describe('Fail calls fast while a backend keeps failing (default false).'),
          failureThreshold: positiveInt.optional().describe('Consecutive failures that open the circuit (default 5).'),
          timeout: duration.optional().describe('How long the circuit stays open before one trial call (default 60s).'),
        })
        .optional()
        .describe('Per-backend circuit breaker (ToolHive keys).'),
    })
    .optional()
    .describe('Health checks and circuit breaking (ToolHive keys, plus degradedThreshold).'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).optional().describe('Log verbosity (default info).'),
  limits: backendLimitsSchema.optional().describe('Bounds for every backend (each may override them under backends[].limits).'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    name: z.string().min(1).describe('The gateway name, reported as serverInfo.name.'),
    server: serverSchema.optional().describe('The HTTP listener clients connect to.'),
    backends: z
      .array(backendSchema)
      .optional()
      .describe('The MCP servers to aggregate (required; with groupRef too, since vmcp does not discover group members).'),
    aggregation: aggregationSchema.optional().describe('How backend tools are named, filtered and merged (ToolHive keys).'),
    operational: operationalSchema.optional().describe('Timeouts and logging.'),
    incomingAuth: incomingAuthSchema
      .optional()
      .describe('How clients authenticate to the gateway, and Cedar authorization (ToolHive keys).'),
    outgoingAuth: outgoingAuthSchema.optional().describe('How the gateway authenticates to each backend (ToolHive strategy names).'),
    compositeTools: z
      .array(compositeToolSchema)
      .optional()
      .describe('Workflows advertised as tools: steps calling backend tools, asking the user, looping (ToolHive keys).'),
    optimizer: optimizerSchema.optional(),
    codeMode: codeModeSchema.optional(),
    audit: auditSchema.optional(),
    rateLimiting: rateLimitSchema.optional(),
    telemetry: telemetrySchema.optional(),
    sessionStorage: sessionStorageSchema.optional(),
    ...toolhiveTopLevel,
  })
  .describe('vmcp configuration');

export type UserConfig = z.infer<typeof configSchema>;
export type UserBackend = z.infer<typeof backendSchema>;
