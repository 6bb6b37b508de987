// Primitives shared by schema.ts and schema-auth.ts (kept apart so neither imports the other:
// an ESM import cycle between schema files would hit uninitialised bindings at load time).
import { z } from 'zod';

/** Go-style duration strings as in ToolHive: `500ms`, `30s`, `1m`, `1h30m`. */
export const DURATION_PATTERN = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
export const duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as "500ms", "30s", "5m" or "1h30m"');

/** Backend names become tool-name prefixes, so they must fit the MCP tool-name charset. */
export const BACKEND_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export const backendName = z
  .string()
  .regex(BACKEND_NAME_PATTERN, 'must be 1-32 characters of letters, digits, "_" or "-", starting with a letter or digit');

// An environment variable name may hold almost anything except "=" (the separator) and NUL.
export const envName = z.string().regex(/^[^=\0]+$/, 'must be a non-empty name without "=" or NUL');

// RFC 9110 `token`: a header name with a space or ":" would make every request fail at runtime.
export const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

// Framing and session headers belong to the transport; a user value would corrupt the exchange.
export const MANAGED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);
