// From a probe's or call's failure to the sanitized category a status message shows. The failure
// kind was decided once where the failure happened (errors/classify.ts); this only names it in
// ToolHive's words (pkg/vmcp/health/monitor.go, categorizeErrorForMessage).
import { failureKindOf, isUnavailableNotUnreachable } from '../errors/classify.js';
import { VmcpError, type FailureKind } from '../errors/codes.js';
import type { ErrorCategory } from './types.js';

const CATEGORY: Record<FailureKind, ErrorCategory> = {
  auth: 'Authentication failed',
  timeout: 'Health check timed out',
  cancelled: 'Health check cancelled',
  connection: 'Connection failed',
  protocol: 'Health check failed',
  'too-large': 'Health check failed',
};

function kindOf(err: unknown): FailureKind | undefined {
  return err instanceof VmcpError && err.failure ? err.failure.kind : failureKindOf(err);
}

/** True when the failure is an HTTP 401/403 or an MCP auth error. */
export function isAuthError(err: unknown): boolean {
  return kindOf(err) === 'auth';
}

export function categorize(err: unknown): ErrorCategory {
  const kind = kindOf(err);
  if (kind === undefined) return isUnavailableNotUnreachable(err) ? 'Backend unavailable' : 'Health check failed';
  if (kind === 'connection' && isUnavailableNotUnreachable(err)) return 'Backend unavailable';
  return CATEGORY[kind];
}
