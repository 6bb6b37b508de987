// `compositeTools[]`: declarative multi-step workflows advertised as one tool, with ToolHive's
// keys and meanings (CompositeToolConfig and WorkflowStepConfig in
// https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/config/config.go), so a ToolHive
// config runs unchanged. Per-field limits live here; what needs the whole workflow
// (dependencies, cycles, templates and the paths they read) is checked by the composite layer's
// rules, which `vmcp validate` and `vmcp serve` run with the rest (docs/composite-tools.md).
import { z } from 'zod';
import { duration } from './schema-common.js';

/** ToolHive's limits (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/config/composite_validation.go). */
export const COMPOSITE_LIMITS = Object.freeze({
  maxSteps: 100,
  maxRetryCount: 10,
  maxForEachParallel: 50,
  maxForEachIterations: 1000,
  maxElicitationTimeout: '10m',
  maxElicitationSchemaBytes: 100 * 1024,
  maxElicitationSchemaDepth: 10,
  maxOutputDepth: 10,
});

/** ToolHive's defaults (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/composer: defaultWorkflowTimeout, defaultStepTimeout, …). */
export const COMPOSITE_DEFAULTS = Object.freeze({
  workflowTimeout: '30m',
  stepTimeout: '5m',
  retryDelay: '1s',
  /** Also the DAG's bound on steps running at once (defaultMaxParallelSteps). */
  forEachMaxParallel: 10,
  forEachMaxIterations: 100,
  itemVar: 'item',
  onError: 'abort',
  elicitationResponse: 'abort',
} as const);

/** MCP tool names (SEP-986): letters, digits, "_", "-" and "."; ToolHive step tools use the same set. */
const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const jsonObject = z.record(z.string(), z.unknown());

const toolRef = z
  .string()
  .regex(TOOL_NAME, 'must be a tool name: "workload.tool", an advertised name or a bare tool name (letters, digits, ".", "_", "-")')
  .describe('The tool to call: "workload.tool" (the backend\'s own name), an advertised name, or a bare name. Hidden tools may be called.');

const args = jsonObject.describe(
  "Arguments of the call. String values (at any depth) are templates; results are coerced to the types of the tool's input schema.",
);

const onError = z
  .strictObject({
    action: z
      .enum(['abort', 'continue', 'retry'])
      .optional()
      .describe('What a failure does: abort the workflow (default), continue, or retry.'),
    retryCount: z
      .number()
      .int()
      .min(0)
      .max(COMPOSITE_LIMITS.maxRetryCount)
      .optional()
      .describe('Retries after the first attempt, for action retry (1-10).'),
    retryDelay: duration
      .optional()
      .describe('Delay before the first retry (default 1s); grows ×1.5 per retry (±50% jitter), at most 60× this value.'),
  })
  .describe('Error handling of the step.');

const elicitationResponse = z
  .strictObject({
    action: z
      .enum(['skip_remaining', 'abort', 'continue'])
      .describe('skip_remaining: skip the steps not yet started and finish; abort: fail the workflow; continue: go on.'),
  })
  .describe('What to do with this answer of the user.');

export const innerStepSchema = z
  .strictObject({
    id: z.string().min(1).optional().describe('Name of the inner step in messages (default: the forEach step id).'),
    type: z.literal('tool').optional().describe('Only tool steps may be repeated.'),
    tool: toolRef,
    arguments: args.optional(),
    onError: onError.optional(),
    timeout: duration.optional().describe('Timeout of each iteration (default: bounded by the forEach step timeout).'),
  })
  .describe('The tool call made for each item; its templates may read .forEach.<itemVar> and .forEach.index.');

export const stepSchema = z
  .strictObject({
    id: z.string().min(1).describe('Unique step id; templates read its results as .steps.<id>.'),
    type: z.enum(['tool', 'elicitation', 'forEach']).optional().describe('Step type (default tool; inferred from `tool`).'),
    tool: toolRef.optional(),
    arguments: args.optional(),
    condition: z.string().optional().describe('Template that must render true or false; false skips the step.'),
    dependsOn: z.array(z.string().min(1)).optional().describe('Steps that must finish first (the DAG edges).'),
    onError: onError.optional(),
    timeout: duration.optional().describe('Step timeout, retries included (default 5m; elicitation: at most 10m).'),
    defaultResults: jsonObject
      .optional()
      .describe('Output used when the step is skipped or fails with onError continue (keys: the output fields read later).'),
    message: z.string().optional().describe('Elicitation: the question shown to the user (a template).'),
    schema: jsonObject.optional().describe('Elicitation: JSON Schema of the answer (at most 100 KB, nesting depth 10).'),
    onDecline: elicitationResponse.optional().describe('Elicitation: when the user declines (default abort).'),
    onCancel: elicitationResponse.optional().describe('Elicitation: when the user cancels or the step times out (default abort).'),
    collection: z.string().optional().describe('forEach: template that yields a JSON array to iterate over.'),
    itemVar: z
      .string()
      .regex(IDENTIFIER, 'must be an identifier (letters, digits, "_")')
      .refine((v) => v !== 'index', '"index" is reserved (.forEach.index is the position)')
      .optional()
      .describe('forEach: the item is .forEach.<itemVar> (default item).'),
    maxParallel: z
      .number()
      .int()
      .min(0)
      .max(COMPOSITE_LIMITS.maxForEachParallel)
      .optional()
      .describe('forEach: iterations in flight at once (default 10, at most 50).'),
    maxIterations: z
      .number()
      .int()
      .min(0)
      .max(COMPOSITE_LIMITS.maxForEachIterations)
      .optional()
      .describe('forEach: the longest collection accepted (default 100, at most 1000).'),
    step: innerStepSchema.optional(),
  })
  .describe('One workflow step: a tool call, a question to the user (elicitation) or a forEach loop.');

export const outputPropertySchema = z
  .strictObject({
    type: z.enum(['string', 'integer', 'number', 'boolean', 'object', 'array']).describe('JSON Schema type of the value.'),
    description: z.string().describe('Shown to clients and models in the output schema.'),
    value: z.string().optional().describe('Template for the value (object and array values are JSON-decoded).'),
    get properties(): z.ZodOptional<z.ZodRecord<z.ZodString, typeof outputPropertySchema>> {
      return z.record(z.string(), outputPropertySchema).optional().describe('Object type: nested properties instead of value.');
    },
    default: z.unknown().optional().describe('Used when the value renders <no value> or cannot be built or coerced.'),
  })
  .describe('One output property.')
  .meta({ id: 'compositeOutputProperty' });

export const outputSchema = z
  .strictObject({
    properties: z.record(z.string(), outputPropertySchema).describe('The properties of structuredContent, by name.'),
    required: z.array(z.string()).optional().describe('Properties that must be present and non-null.'),
  })
  .describe("The shape of the result (structuredContent) and its advertised outputSchema; default: the last step's output.");

export const annotationsSchema = z
  .strictObject({
    title: z.string().optional().describe('Human-readable title.'),
    readOnlyHint: z.boolean().optional().describe('May be true only if every step tool is read-only.'),
    destructiveHint: z.boolean().optional().describe('May be false only if no step tool is destructive (or unknown).'),
    idempotentHint: z.boolean().optional().describe('Never derived from the steps.'),
    openWorldHint: z.boolean().optional().describe('May be false only if no step tool is open-world (or unknown).'),
  })
  .describe('MCP tool annotations; unset hints are derived from the step tools (readOnly: AND, destructive/openWorld: OR).');

export const parametersSchema = z
  .looseObject({
    type: z.literal('object').describe('Always "object".'),
    properties: z.record(z.string(), jsonObject).optional().describe('Parameter schemas by name; a `default` is applied before the run.'),
    required: z.array(z.string()).optional().describe('Parameters the caller must pass.'),
  })
  .describe('JSON Schema of the tool input (the advertised inputSchema).');

export const compositeToolSchema = z
  .strictObject({
    name: z
      .string()
      .regex(TOOL_NAME, 'must be a tool name (letters, digits, ".", "_", "-")')
      .max(128)
      .describe('The advertised tool name (unique among composite and backend tools).'),
    description: z.string().min(1).describe('What the workflow does (shown to clients and models).'),
    parameters: parametersSchema.optional(),
    timeout: duration.optional().describe('Workflow timeout (default 30m).'),
    steps: z.array(stepSchema).min(1).max(COMPOSITE_LIMITS.maxSteps).describe('The steps, at most 100.'),
    output: outputSchema.optional(),
    annotations: annotationsSchema.optional(),
  })
  .describe('A composite tool: a workflow of steps advertised as one tool (ToolHive keys).');

export type UserCompositeTool = z.infer<typeof compositeToolSchema>;
export type UserStep = z.infer<typeof stepSchema>;
export type UserInnerStep = z.infer<typeof innerStepSchema>;
export type UserOutputProperty = z.infer<typeof outputPropertySchema>;
