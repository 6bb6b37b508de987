// GET /status: one StatusReport built from the monitor's records by the pure functions of
// summary.ts, so phase, counts, messages, conditions and per-backend entries always agree.
import { backendMessage, buildConditions, determinePhase, routable, statusMessage, summarize, toStatusString } from './summary.js';
import type { BackendHealth, BackendStatus, StatusReport } from './types.js';

export interface BackendFacts {
  name: string;
  transport: string;
  authType: string;
  mcpRevision?: string;
  tools: number;
  resources: number;
  prompts: number;
  degradedThresholdMs?: number;
  /** Why the connection is down (sanitized), while it is. */
  reason?: string;
  discoveryErrors?: Partial<Record<'tools' | 'prompts' | 'resources' | 'templates', string>>;
  /** Tool pinning holds back every tool of this backend. */
  quarantine?: { reason: string; since: string };
}

export interface ReportInput {
  name: string;
  version: string;
  backends: readonly BackendFacts[];
  health: (name: string) => BackendHealth | undefined;
  /** ToolHive's group name, if configured. */
  groupRef?: string;
  /** Tools of the gateway's own providers, by provider. */
  virtualTools?: Readonly<Record<string, number>>;
  now?: number;
}

export function buildStatusReport(input: ReportInput): StatusReport {
  const records = input.backends.map((b) => input.health(b.name) ?? unknownRecord(b.name));
  const summary = summarize(records);
  const configured = input.backends.length;
  const count = routable(summary);
  return {
    name: input.name,
    version: input.version,
    phase: determinePhase(summary, configured),
    message: statusMessage(summary, configured),
    healthy: count > 0,
    backendCount: count,
    summary,
    conditions: buildConditions(summary, configured),
    backends: input.backends.map((b, i) => backendStatus(b, records[i]!)),
    ...(input.virtualTools && Object.keys(input.virtualTools).length ? { virtualTools: { ...input.virtualTools } } : {}),
    timestamp: new Date(input.now ?? Date.now()).toISOString(),
    group_ref: input.groupRef ?? '',
  };
}

function backendStatus(facts: BackendFacts, h: BackendHealth): BackendStatus {
  return {
    name: facts.name,
    health: h.state,
    status: toStatusString(h.state),
    transport: facts.transport,
    authType: facts.authType,
    auth_type: facts.authType,
    ...(facts.mcpRevision ? { mcpRevision: facts.mcpRevision, mcp_revision: facts.mcpRevision } : {}),
    ...(h.lastCheck !== undefined ? { lastCheck: new Date(h.lastCheck).toISOString() } : {}),
    consecutiveFailures: h.consecutiveFailures,
    circuit: h.circuit,
    ...(h.circuitChangedAt !== undefined ? { circuitLastChanged: new Date(h.circuitChangedAt).toISOString() } : {}),
    message: backendMessage(h, facts.degradedThresholdMs),
    ...(h.latencyMs !== undefined ? { latencyMs: Math.round(h.latencyMs * 10) / 10 } : {}),
    tools: facts.tools,
    resources: facts.resources,
    prompts: facts.prompts,
    ...(facts.reason ? { reason: facts.reason } : {}),
    ...(facts.discoveryErrors && Object.keys(facts.discoveryErrors).length > 0 ? { discoveryErrors: facts.discoveryErrors } : {}),
    ...(facts.quarantine ? { quarantine: { ...facts.quarantine } } : {}),
  };
}

function unknownRecord(name: string): BackendHealth {
  return { name, state: 'unknown', consecutiveFailures: 0, circuit: 'closed' };
}
