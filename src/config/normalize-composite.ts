// compositeTools (zod output, already checked by the composite rules) → the runtime form: step
// types inferred, ToolHive's defaults filled in (COMPOSITE_DEFAULTS), durations in milliseconds.
import { parseDuration } from './duration.js';
import { COMPOSITE_DEFAULTS } from './schema-composite.js';
import type { UserCompositeTool, UserInnerStep, UserOutputProperty, UserStep } from './schema-composite.js';
import type {
  CompositeOutputConfig,
  CompositeStepConfig,
  CompositeStepType,
  CompositeToolConfig,
  InnerToolStepConfig,
  OutputPropertyConfig,
  StepErrorHandling,
} from './types-composite.js';

export function normalizeCompositeTools(tools: readonly UserCompositeTool[] | undefined): CompositeToolConfig[] {
  return (tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: structuredClone(tool.parameters ?? { type: 'object', properties: {} }),
    timeoutMs: parseDuration(tool.timeout ?? COMPOSITE_DEFAULTS.workflowTimeout),
    steps: tool.steps.map(normalizeStep),
    ...(tool.output === undefined ? {} : { output: normalizeOutput(tool.output) }),
    ...(tool.annotations === undefined ? {} : { annotations: { ...tool.annotations } }),
  }));
}

/** ToolHive's default is tool; a step with only `message` or only `collection` says what it is. */
export function stepTypeOf(step: Pick<UserStep, 'type' | 'tool' | 'message' | 'collection'>): CompositeStepType {
  if (step.type !== undefined) return step.type;
  if (step.tool === undefined && step.message !== undefined) return 'elicitation';
  if (step.tool === undefined && step.collection !== undefined) return 'forEach';
  return 'tool';
}

function normalizeStep(step: UserStep): CompositeStepConfig {
  const common = {
    id: step.id,
    dependsOn: [...(step.dependsOn ?? [])],
    ...(step.condition === undefined ? {} : { condition: step.condition }),
    timeoutMs: parseDuration(step.timeout ?? COMPOSITE_DEFAULTS.stepTimeout),
    onError: normalizeOnError(step.onError),
    ...(step.defaultResults === undefined ? {} : { defaultResults: structuredClone(step.defaultResults) }),
  };
  switch (stepTypeOf(step)) {
    case 'elicitation':
      return {
        ...common,
        type: 'elicitation',
        message: step.message ?? '',
        schema: structuredClone(step.schema ?? { type: 'object', properties: {} }),
        onDecline: step.onDecline?.action ?? COMPOSITE_DEFAULTS.elicitationResponse,
        onCancel: step.onCancel?.action ?? COMPOSITE_DEFAULTS.elicitationResponse,
      };
    case 'forEach':
      return {
        ...common,
        type: 'forEach',
        collection: step.collection ?? '',
        itemVar: step.itemVar ?? COMPOSITE_DEFAULTS.itemVar,
        maxParallel: step.maxParallel || COMPOSITE_DEFAULTS.forEachMaxParallel,
        maxIterations: step.maxIterations || COMPOSITE_DEFAULTS.forEachMaxIterations,
        step: normalizeInner(step.step, step.id),
      };
    default:
      return { ...common, type: 'tool', tool: step.tool ?? '', arguments: structuredClone(step.arguments ?? {}) };
  }
}

function normalizeInner(inner: UserInnerStep | undefined, outerId: string): InnerToolStepConfig {
  return {
    id: inner?.id ?? outerId,
    tool: inner?.tool ?? '',
    arguments: structuredClone(inner?.arguments ?? {}),
    onError: normalizeOnError(inner?.onError),
    ...(inner?.timeout === undefined ? {} : { timeoutMs: parseDuration(inner.timeout) }),
  };
}

function normalizeOnError(onError: UserStep['onError']): StepErrorHandling {
  const action = onError?.action ?? COMPOSITE_DEFAULTS.onError;
  return {
    action,
    retryCount: action === 'retry' ? (onError?.retryCount ?? 0) : 0,
    retryDelayMs: parseDuration(onError?.retryDelay ?? COMPOSITE_DEFAULTS.retryDelay),
  };
}

function normalizeOutput(output: NonNullable<UserCompositeTool['output']>): CompositeOutputConfig {
  return { properties: normalizeProperties(output.properties), required: [...(output.required ?? [])] };
}

function normalizeProperties(properties: Readonly<Record<string, UserOutputProperty>>): Record<string, OutputPropertyConfig> {
  const out: Record<string, OutputPropertyConfig> = {};
  for (const [name, prop] of Object.entries(properties)) {
    out[name] = {
      type: prop.type,
      description: prop.description,
      ...(prop.value === undefined ? {} : { value: prop.value }),
      ...(prop.properties === undefined ? {} : { properties: normalizeProperties(prop.properties) }),
      ...(prop.default === undefined || prop.default === null ? {} : { default: structuredClone(prop.default) }),
    };
  }
  return out;
}
