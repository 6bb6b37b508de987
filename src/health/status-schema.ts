// The zod schema of `GET /status` (`StatusReport` in ./types.ts, the contract), rendered to the
// committed schema/vmcp-status.schema.json for dashboards, probes and other clients. A test fails
// when the file is stale (house rule 6) and checks at compile time that this schema and the
// interfaces stay mutually assignable; `npx tsx scripts/gen-status-schema.ts` rewrites the file.
// Objects are closed (additionalProperties: false) so a test validating a live /status against
// the schema catches an undocumented field; a client of a newer gateway should not validate strictly.
import { z } from 'zod';

export const STATUS_SCHEMA_ID = 'urn:vmcp:status:v1';

// ISO 8601 timestamps as Date#toISOString writes them; an offset is tolerated.
const timestamp = () => z.iso.datetime({ offset: true });
const count = () => z.int().nonnegative();

export const healthStateSchema = z
  .enum(['healthy', 'degraded', 'unhealthy', 'unauthenticated', 'unknown'])
  .describe('Health as the monitor sees it. `unauthenticated` = reachable but answered the probe 401/403; it is routable.');

export const statusStringSchema = z
  .enum(['ready', 'degraded', 'unavailable', 'unauthenticated', 'unknown'])
  .describe('CRD-style status string. An unauthenticated backend is `unauthenticated`, never `unavailable`.');

export const phaseSchema = z
  .enum(['Pending', 'Ready', 'Degraded', 'Failed'])
  .describe('Pending: no probe finished yet; Ready: every backend routable; Failed: none routable; Degraded: some.');

export const circuitStateSchema = z.enum(['closed', 'open', 'half-open']).describe('Circuit breaker state.');

export const summarySchema = z
  .strictObject({
    total: count().describe('Backends the health monitor reports on.'),
    healthy: count(),
    degraded: count(),
    unhealthy: count(),
    unknown: count(),
    unauthenticated: count().describe('Reachable backends that need credentials; counted as routable.'),
  })
  .describe('Backends by health state; routable = healthy + unauthenticated.');

export const conditionSchema = z
  .strictObject({
    type: z.enum(['Ready', 'BackendsDiscovered', 'BackendsDegraded']).describe('Condition type (Kubernetes style).'),
    status: z.enum(['True', 'False']),
    reason: z.string().describe('CamelCase reason, e.g. AllBackendsRoutable, NoRoutableBackends.'),
    message: z.string().describe('Human-readable detail.'),
  })
  .describe('A Kubernetes-style status condition.');

export const backendStatusSchema = z
  .strictObject({
    name: z.string().describe('Backend name from the config.'),
    health: healthStateSchema,
    status: statusStringSchema,
    transport: z.string().describe('stdio, streamable-http or sse.'),
    authType: z.string().describe('Outgoing auth strategy of this backend: unauthenticated, header_injection, token_exchange, …'),
    auth_type: z.string().describe("The same as authType, under ToolHive's name."),
    mcpRevision: z.string().optional().describe('Negotiated MCP protocol revision, e.g. 2025-06-18.'),
    mcp_revision: z.string().optional().describe("The same as mcpRevision, under ToolHive's name."),
    lastCheck: timestamp().optional().describe('When the last probe finished.'),
    consecutiveFailures: count().describe('Failed probes in a row.'),
    circuit: circuitStateSchema,
    circuitLastChanged: timestamp().optional().describe('When the circuit last changed state.'),
    message: z.string().describe('Sanitized status text; never a raw error.'),
    latencyMs: z.number().nonnegative().optional().describe('Duration of the last successful probe in milliseconds.'),
    tools: count().describe('Tools this backend contributes to the catalog.'),
    resources: count().describe('Resources this backend contributes to the catalog.'),
    prompts: count().describe('Prompts this backend contributes to the catalog.'),
    reason: z
      .string()
      .optional()
      .describe(
        'Why the connection is down, sanitized (e.g. "spawn ./server ENOENT", "connect ECONNREFUSED"); only while it is not connected.',
      ),
    discoveryErrors: z
      .partialRecord(z.enum(['tools', 'prompts', 'resources', 'templates']), z.string())
      .optional()
      .describe('Lists whose discovery failed (sanitized reason); they are retried while the others serve.'),
    quarantine: z
      .strictObject({
        reason: z.string().describe('Which pinned tool definitions changed.'),
        since: timestamp().describe('When the backend was quarantined.'),
      })
      .optional()
      .describe('Tool pinning (aggregation.pinning: quarantine) holds back every tool of this backend until its changes are approved.'),
  })
  .describe('One backend as GET /status shows it.');

export const statusReportSchema = z
  .strictObject({
    name: z.string().describe('Gateway name from the config.'),
    version: z.string().describe('vmcp version.'),
    phase: phaseSchema,
    message: z.string().describe('Status message, e.g. "All 2 backends healthy".'),
    healthy: z.boolean().describe('True when at least one backend is routable (healthy or unauthenticated).'),
    backendCount: count().describe('The number of routable backends.'),
    summary: summarySchema,
    conditions: z.array(conditionSchema),
    backends: z.array(backendStatusSchema),
    virtualTools: z
      .record(z.string(), count())
      .optional()
      .describe('Tools the gateway implements itself, by provider (e.g. composite: 3); present when there are any.'),
    timestamp: timestamp().describe('When this report was made.'),
    group_ref: z.string().describe('The configured groupRef (ToolHive name), "" without one.'),
  })
  .describe('Body of GET /status on the vmcp HTTP listener.');

export function renderStatusSchema(): string {
  const { $schema, description, ...rest } = z.toJSONSchema(statusReportSchema, { target: 'draft-2020-12' });
  // Header keywords first, the way a reader scans the file; zod's order (declaration order) after.
  const document = { $schema, $id: STATUS_SCHEMA_ID, title: 'vmcp status', description, ...rest };
  return `${JSON.stringify(document, null, 2)}\n`;
}
