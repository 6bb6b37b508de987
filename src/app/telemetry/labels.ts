// Label values with bounded cardinality (Prometheus keeps one series per label set forever): tool
// names only for tools the gateway advertises, error types from the stable code registry or the
// JSON-RPC code, anything else bucketed. Names follow the OpenTelemetry MCP semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/) with dots as underscores, as ToolHive exports them.
import type { Catalog } from '../../aggregation/catalog.js';
import { VmcpError } from '../../errors/codes.js';
import type { ResolvedCall } from '../../routing/context.js';

/** The bucket for values outside the known set (semconv's `_OTHER`). */
export const OTHER = '_OTHER';

/** The advertised tool name when the catalog knows it (or the gateway implements it), else `_OTHER`. */
export function toolLabel(call: ResolvedCall, catalog: () => Catalog): string {
  const t = call.target;
  if (t.kind === 'virtual') return t.advertised;
  if (t.kind !== 'backend' || t.entry !== 'tool') return '';
  return catalog().tool(t.advertised) ? t.advertised : OTHER;
}

export function backendLabel(call: ResolvedCall): string {
  const t = call.target;
  return t.kind === 'backend' ? t.backend : t.kind === 'virtual' ? `vmcp:${t.provider}` : 'vmcp';
}

const METHODS = new Set([
  'tools/call',
  'tools/list',
  'prompts/get',
  'prompts/list',
  'resources/read',
  'resources/list',
  'resources/templates/list',
  'resources/subscribe',
  'resources/unsubscribe',
  'completion/complete',
  'logging/setLevel',
]);

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : OTHER;
}

/**
 * `error.type`: a vmcp code (a fixed registry), `tool_error` for a tool result with isError, the
 * JSON-RPC code of a backend's own error, else `_OTHER`. Never the message (unbounded, may carry data).
 */
export function errorType(err: unknown): string {
  if (err instanceof VmcpError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && Number.isInteger(code) && code >= -32768 && code <= 32767) return String(code);
  return OTHER;
}

export function isToolError(result: unknown): boolean {
  return (result as { isError?: unknown } | null)?.isError === true;
}
