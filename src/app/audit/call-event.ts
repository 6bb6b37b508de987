// One call through the chain → one audit event: who (the principal and client), what (the method,
// the backend and its own tool name), how it ended, and — only when configured — the redacted
// request and result. The outcome follows ToolHive's meaning: denied = a policy refused it
// (authorization, rate limit); failure = the request was at fault; error = the gateway or a backend
// failed; application_error = the backend answered with an error (isError or a JSON-RPC error).
import type { Principal } from '../../auth/types.js';
import type { AuditConfig } from '../../config/types.js';
import { isBackendAnswer } from '../../errors/classify.js';
import { ErrorCodes, isVmcpError, type ErrorCode } from '../../errors/codes.js';
import type { ResolvedCall, Target } from '../../routing/context.js';
import { eventTypeOf, newEvent, type AuditEvent, type AuditOutcome } from './event.js';
import { bounded } from './redact.js';

const DENIED: ReadonlySet<ErrorCode> = new Set([ErrorCodes.FORBIDDEN, ErrorCodes.RATE_LIMITED, ErrorCodes.UNAUTHENTICATED]);
const CLIENT_FAULT: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.INVALID_PARAMS,
  ErrorCodes.INVALID_REQUEST,
  ErrorCodes.TOOL_NOT_FOUND,
  ErrorCodes.PROMPT_NOT_FOUND,
  ErrorCodes.RESOURCE_NOT_FOUND,
  ErrorCodes.METHOD_NOT_FOUND,
  ErrorCodes.CLIENT_CAPABILITY_MISSING,
  ErrorCodes.MISSING_REQUIRED_CAPABILITY,
  ErrorCodes.HEADER_MISMATCH,
  ErrorCodes.CANCELLED,
  ErrorCodes.BACKEND_AUTH_REQUIRED,
]);
const MAX_MESSAGE = 256;

export interface CallEnd {
  readonly durationMs: number;
  readonly result?: unknown;
  readonly error?: unknown;
}

export function callEvent(config: AuditConfig, call: ResolvedCall, end: CallEnd): AuditEvent {
  const { ctx } = call;
  const outcome = outcomeOf(config, end);
  return newEvent(config.component, {
    type: eventTypeOf(call.method),
    outcome,
    source: ctx.session.id === 'stdio' ? { type: 'local', value: 'stdio' } : { type: 'network', value: ctx.remoteAddress ?? 'unknown' },
    subjects: subjectsOf(ctx.principal, ctx.session.clientInfo),
    target: targetOf(call.method, call.target),
    extra: {
      duration_ms: Math.round(end.durationMs * 1000) / 1000,
      transport: ctx.session.id === 'stdio' ? 'stdio' : 'http',
      mcp_version: ctx.session.era,
      session_id: ctx.session.id,
      ...(ctx.requestId === undefined ? {} : { request_id: String(ctx.requestId) }),
      ...(ctx.parent ? { parent: nameOf(ctx.parent.target) } : {}),
      ...(ctx.step === undefined ? {} : { step_id: ctx.step }),
      ...errorDetails(end.error),
    },
    ...dataOf(config, call, end),
  });
}

function outcomeOf(config: AuditConfig, end: CallEnd): AuditOutcome {
  const err = end.error;
  if (err === undefined) {
    const isError = (end.result as { isError?: unknown } | undefined)?.isError === true;
    return isError && config.detectApplicationErrors ? 'application_error' : 'success';
  }
  if (isBackendAnswer(err)) return config.detectApplicationErrors ? 'application_error' : 'success';
  if (isVmcpError(err) && DENIED.has(err.code)) return 'denied';
  if (isVmcpError(err) && CLIENT_FAULT.has(err.code)) return 'failure';
  return 'error';
}

/** ToolHive's subjects (extractSubjectsFromIdentity): user, user_id, client_name, client_version. */
export function subjectsOf(p: Principal, client?: { name: string; version: string }): Record<string, string> {
  const claim = (k: string) => (typeof p.claims[k] === 'string' ? (p.claims[k] as string) : undefined);
  const user = p.kind === 'anonymous' ? 'anonymous' : (claim('name') ?? claim('preferred_username') ?? claim('email') ?? p.subject);
  return {
    user,
    ...(p.kind === 'anonymous' ? {} : { user_id: p.subject, auth_type: p.kind }),
    ...(p.issuer ? { issuer: p.issuer } : {}),
    ...(client ? { client_name: client.name.slice(0, 200), client_version: client.version.slice(0, 100) } : {}),
  };
}

function targetOf(method: string, t: Target): Record<string, string> {
  if (t.kind === 'local') return { type: 'endpoint', method };
  const type = t.kind === 'virtual' ? 'tool' : t.entry === 'template' ? 'resource' : t.entry;
  const key = type === 'resource' ? 'uri' : 'name';
  if (t.kind === 'virtual') return { type, method, [key]: t.advertised, provider: t.provider };
  return { type, method, [key]: t.advertised, backend: t.backend, backend_name: t.name };
}

function nameOf(t: Target): string {
  return t.kind === 'local' ? 'local' : t.advertised;
}

function errorDetails(err: unknown): Record<string, unknown> {
  if (err === undefined) return {};
  if (isBackendAnswer(err)) {
    const { code, message } = err as { code: number; message: string };
    return { jsonrpc_error_code: code, jsonrpc_error_message: message.slice(0, MAX_MESSAGE) };
  }
  if (isVmcpError(err)) return { error_code: err.code, error_message: err.message.slice(0, MAX_MESSAGE) };
  return { error_code: ErrorCodes.INTERNAL };
}

function dataOf(config: AuditConfig, call: ResolvedCall, end: CallEnd): { data?: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  if (config.includeRequestData) data['request'] = bounded(call.params, config.maxDataSizeBytes);
  if (config.includeResponseData && end.result !== undefined) data['response'] = bounded(end.result, config.maxDataSizeBytes);
  return Object.keys(data).length > 0 ? { data } : {};
}
