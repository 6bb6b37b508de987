// Keys that ToolHive's vMCP requires or emits (`thv vmcp init`, its CLI example, the operator's
// spec.config) and that have no runtime effect in vmcp, or a narrower one. They are accepted so a
// ToolHive config validates unchanged; validate-toolhive.ts says, as a warning, where vmcp cannot
// act on one. Sections vmcp ignores still list ToolHive's key names, so a typo is still an error.
// Key names: https://github.com/stacklok/toolhive/blob/main/pkg/vmcp/config/config.go
import { z } from 'zod';
import { headerName } from './schema-common.js';

const labels = z.record(z.string(), z.string());

/** Top-level keys, spread into configSchema. */
export const toolhiveTopLevel = {
  groupRef: z
    .string()
    .min(1)
    .optional()
    .describe('ToolHive group name. vmcp does not discover group members: the static `backends` list is used (a warning says so).'),
  metadata: labels.optional().describe('Free-form labels (ToolHive key); shown in /status.'),
  passthroughHeaders: z
    .array(headerName)
    .optional()
    .describe(
      'Client request headers copied to every HTTP backend request (ToolHive key). A caller with its own values gets its own backend sessions. Hop-by-hop headers, Host, Content-Length, X-Forwarded-*, Authorization, Cookie and the MCP session headers are refused.',
    ),
  compositeToolRefs: z
    .array(z.strictObject({ name: z.string().min(1) }))
    .optional()
    .describe('Kubernetes VirtualMCPCompositeToolDefinition references: ignored with a warning (write them under compositeTools).'),
};

/** Extra keys of every backend entry. */
export const toolhiveBackend = {
  metadata: labels.optional().describe('Free-form labels of this backend (ToolHive key).'),
};

export const outgoingSource = z
  .enum(['inline', 'discovered'])
  .optional()
  .describe('ToolHive: where backend auth comes from. vmcp only has inline (this file); "discovered" is accepted with a warning.');

export const partialFailureMode = z
  .enum(['fail', 'best_effort'])
  .optional()
  .describe('ToolHive key. vmcp always serves the backends that are up (best_effort); "fail" is accepted with a warning.');
