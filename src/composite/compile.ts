// A workflow ready to run: every template parsed once, the execution levels computed. Loading
// through `vmcp validate`/`serve` has already reported every problem with its line; compiling a
// config that skipped those rules still refuses to build a broken workflow.
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { CompositeStepConfig, CompositeToolConfig, OutputPropertyConfig } from '../config/types-composite.js';
import { executionLevels } from './dag.js';
import { Template } from './template/template.js';

/** Arguments with every string replaced by its template. */
export type ArgTree = Template | null | boolean | number | readonly ArgTree[] | { readonly [key: string]: ArgTree };

export interface CompiledStep {
  readonly config: CompositeStepConfig;
  /** 0-based execution level. */
  readonly level: number;
  readonly condition?: Template;
  readonly args?: ArgTree;
  readonly message?: Template;
  readonly collection?: Template;
  readonly innerArgs?: ArgTree;
}

export interface CompiledOutputProperty {
  readonly config: OutputPropertyConfig;
  readonly value?: Template;
  readonly properties?: Readonly<Record<string, CompiledOutputProperty>>;
}

export interface CompiledWorkflow {
  readonly config: CompositeToolConfig;
  readonly levels: readonly (readonly CompiledStep[])[];
  /** In file order. */
  readonly steps: readonly CompiledStep[];
  readonly output?: Readonly<Record<string, CompiledOutputProperty>>;
}

/** ToolHive's bound on nested argument values (maxTemplateDepth). */
export const MAX_ARGUMENT_DEPTH = 100;

export function compileWorkflow(config: CompositeToolConfig): CompiledWorkflow {
  const where = (what: string): string => `composite tool "${config.name}": ${what}`;
  const { levels, blocked } = executionLevels(config.steps);
  if (blocked.length > 0) throw invalid(where(`steps ${blocked.join(', ')} depend on each other or on unknown steps`));
  const levelOf = new Map(levels.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
  const steps = config.steps.map((step) => compileStep(step, levelOf.get(step.id) ?? 0, where));
  const byId = new Map(steps.map((s) => [s.config.id, s]));
  return {
    config,
    steps,
    levels: levels.map((ids) => ids.map((id) => byId.get(id)!)),
    ...(config.output === undefined ? {} : { output: compileProperties(config.output.properties, where, 'output') }),
  };
}

function compileStep(step: CompositeStepConfig, level: number, where: (what: string) => string): CompiledStep {
  const at = (field: string): string => `steps.${step.id}.${field}`;
  const parse = (source: string, field: string): Template => parseAt(source, where(at(field)));
  const base = { config: step, level, ...(step.condition === undefined ? {} : { condition: parse(step.condition, 'condition') }) };
  switch (step.type) {
    case 'tool':
      return { ...base, args: compileArgs(step.arguments, where(at('arguments')), 0) };
    case 'elicitation':
      return { ...base, message: parse(step.message, 'message') };
    case 'forEach':
      return {
        ...base,
        collection: parse(step.collection, 'collection'),
        innerArgs: compileArgs(step.step.arguments, where(at('step.arguments')), 0),
      };
  }
}

function compileArgs(value: unknown, where: string, depth: number): ArgTree {
  if (depth > MAX_ARGUMENT_DEPTH) throw invalid(`${where}: arguments nest deeper than ${MAX_ARGUMENT_DEPTH} levels`);
  if (typeof value === 'string') return parseAt(value, where);
  if (Array.isArray(value)) return value.map((v) => compileArgs(v, where, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compileArgs(v, `${where}.${k}`, depth + 1)]));
  }
  return value as ArgTree;
}

function compileProperties(
  properties: Readonly<Record<string, OutputPropertyConfig>>,
  where: (what: string) => string,
  path: string,
): Record<string, CompiledOutputProperty> {
  const out: Record<string, CompiledOutputProperty> = {};
  for (const [name, prop] of Object.entries(properties)) {
    out[name] = {
      config: prop,
      ...(prop.value === undefined ? {} : { value: parseAt(prop.value, where(`${path}.${name}.value`)) }),
      ...(prop.properties === undefined ? {} : { properties: compileProperties(prop.properties, where, `${path}.${name}`) }),
    };
  }
  return out;
}

function parseAt(source: string, where: string): Template {
  try {
    return Template.parse(source);
  } catch (e) {
    throw invalid(`${where}: invalid template: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function invalid(message: string): VmcpError {
  return new VmcpError(ErrorCodes.CONFIG_INVALID, message);
}
