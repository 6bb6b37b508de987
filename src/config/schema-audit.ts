// `audit:` — ToolHive's audit log keys (pkg/audit/config.go Config) with its defaults
// (DefaultConfig: no request or response data, 1024-byte data limit, application errors detected).
// Present = on, unless `enabled: false`; events are JSON lines on stdout or in `logFile`.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AUDIT_EVENT_TYPES, type AuditConfig } from './types-meter.js';

export const AUDIT_DEFAULTS = Object.freeze({
  maxDataSize: 1024,
  detectApplicationErrors: true,
} as const);

const eventType = z.enum(AUDIT_EVENT_TYPES);

export const auditSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Write audit events (default true when the section is present).'),
    component: z.string().min(1).max(200).optional().describe('The `component` of every event (default: the gateway name).'),
    eventTypes: z.array(eventType).optional().describe('Only these event types, e.g. mcp_tool_call (default: all).'),
    excludeEventTypes: z.array(eventType).optional().describe('Never these event types (wins over eventTypes).'),
    includeRequestData: z.boolean().optional().describe('Put the request parameters in `data.request` (default false; secrets redacted).'),
    includeResponseData: z.boolean().optional().describe('Put the result in `data.response` (default false; secrets redacted).'),
    detectApplicationErrors: z
      .boolean()
      .optional()
      .describe('A result with isError: true is outcome application_error rather than success (default true).'),
    maxDataSize: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .optional()
      .describe('Largest request or response data kept in an event, in bytes of JSON (default 1024); larger is replaced by a note.'),
    logFile: z
      .string()
      .min(1)
      .optional()
      .describe('Append events to this file (relative to the config file; reopened on SIGHUP for logrotate). Default: stdout.'),
  })
  .describe('Audit log: one JSON line per call, denial and authentication refusal (ToolHive keys).');

export type UserAudit = z.infer<typeof auditSchema>;

export function normalizeAudit(user: UserAudit | undefined, gatewayName: string, baseDir: string): AuditConfig | undefined {
  if (user === undefined || user.enabled === false) return undefined;
  return {
    component: user.component ?? gatewayName,
    eventTypes: [...new Set(user.eventTypes ?? [])],
    excludeEventTypes: [...new Set(user.excludeEventTypes ?? [])],
    includeRequestData: user.includeRequestData ?? false,
    includeResponseData: user.includeResponseData ?? false,
    detectApplicationErrors: user.detectApplicationErrors ?? AUDIT_DEFAULTS.detectApplicationErrors,
    maxDataSizeBytes: user.maxDataSize ?? AUDIT_DEFAULTS.maxDataSize,
    ...(user.logFile === undefined ? {} : { logFile: isAbsolute(user.logFile) ? user.logFile : resolve(baseDir, user.logFile) }),
  };
}
