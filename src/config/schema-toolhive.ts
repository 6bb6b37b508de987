// Keys that ToolHive's vMCP requires or emits (`thv vmcp init`, its CLI example, the operator's
// spec.config) and that have no runtime effect in vmcp, or a narrower one. They are accepted so a
// ToolHive config validates unchanged; validate-toolhive.ts says, as a warning, where vmcp cannot
// act on one. Sections vmcp ignores still list ToolHive's key names, so a typo is still an error.
// Key names: https://github.com/stacklok/toolhive/blob/main/pkg/vmcp/config/config.go
import { z } from 'zod';

const labels = z.record(z.string(), z.string());

/** Top-level keys, spread into configSchema. */
export const toolhiveTopLevel = {
  groupRef: z
    .string()
    .min(1)
    .optional()
    .describe('ToolHive group name. vmcp does not discover group members: the static `backends` list is used (a warning says so).'),
  metadata: labels.optional().describe('Free-form labels (ToolHive key); shown in /status.'),
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
