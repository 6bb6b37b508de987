// Runtime form of `compositeTools[]` (normalize-composite.ts): step types resolved, every default
// filled in, durations in milliseconds. Templates stay strings here; src/composite compiles them.

export type CompositeStepType = 'tool' | 'elicitation' | 'forEach';
export type StepErrorAction = 'abort' | 'continue' | 'retry';
export type ElicitationResponseAction = 'skip_remaining' | 'abort' | 'continue';
export type OutputValueType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
export type JsonObject = Readonly<Record<string, unknown>>;

export interface StepErrorHandling {
  readonly action: StepErrorAction;
  /** Retries after the first attempt (0 unless action is retry). */
  readonly retryCount: number;
  readonly retryDelayMs: number;
}

interface StepCommon {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** A template rendering true/false; absent = always run. */
  readonly condition?: string;
  readonly timeoutMs: number;
  readonly onError: StepErrorHandling;
  readonly defaultResults?: JsonObject;
}

export interface ToolStepConfig extends StepCommon {
  readonly type: 'tool';
  readonly tool: string;
  readonly arguments: JsonObject;
}

export interface ElicitationStepConfig extends StepCommon {
  readonly type: 'elicitation';
  readonly message: string;
  /** The requested schema (an empty object schema when none was given). */
  readonly schema: JsonObject;
  readonly onDecline: ElicitationResponseAction;
  /** Also applies when the step times out. */
  readonly onCancel: ElicitationResponseAction;
}

export interface InnerToolStepConfig {
  readonly id: string;
  readonly tool: string;
  readonly arguments: JsonObject;
  readonly onError: StepErrorHandling;
  /** Per iteration; absent = bounded only by the forEach step's timeout. */
  readonly timeoutMs?: number;
}

export interface ForEachStepConfig extends StepCommon {
  readonly type: 'forEach';
  readonly collection: string;
  readonly itemVar: string;
  readonly maxParallel: number;
  readonly maxIterations: number;
  readonly step: InnerToolStepConfig;
}

export type CompositeStepConfig = ToolStepConfig | ElicitationStepConfig | ForEachStepConfig;

export interface OutputPropertyConfig {
  readonly type: OutputValueType;
  readonly description: string;
  readonly value?: string;
  readonly properties?: Readonly<Record<string, OutputPropertyConfig>>;
  /** Present only when the file gave one (null counts as none, as in ToolHive). */
  readonly default?: unknown;
}

export interface CompositeOutputConfig {
  readonly properties: Readonly<Record<string, OutputPropertyConfig>>;
  readonly required: readonly string[];
}

export interface CompositeAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface CompositeToolConfig {
  readonly name: string;
  readonly description: string;
  /** JSON Schema, `type: object` (an empty object schema when none was given). */
  readonly parameters: JsonObject;
  readonly timeoutMs: number;
  /** In file order. */
  readonly steps: readonly CompositeStepConfig[];
  /** Absent: the result is the last step's output. */
  readonly output?: CompositeOutputConfig;
  readonly annotations?: CompositeAnnotations;
}
