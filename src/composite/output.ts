// The workflow's result from `output` (ToolHive's output_constructor.go): each property's value
// template rendered and coerced to its type (objects and arrays JSON-decoded), nested object
// properties built recursively; "<no value>", a template error or a failed coercion falls back to
// the property's default; `required` properties must end up present and non-null. The advertised
// outputSchema carries only type and description.
import type { CompositeOutputConfig, OutputPropertyConfig } from '../config/types-composite.js';
import { coerceDefault, coerceOutput, Rendered } from './coerce.js';
import type { CompiledOutputProperty } from './compile.js';
import { NO_VALUE, setOwn } from './template/values.js';
import type { TemplateValue } from './template/values.js';
import { message } from './tool-call.js';

export class OutputError extends Error {
  constructor(property: string, reason: string) {
    super(`output property "${property}": ${reason}`);
    this.name = 'OutputError';
  }
}

export function buildOutput(
  properties: Readonly<Record<string, CompiledOutputProperty>>,
  required: readonly string[],
  context: TemplateValue,
): Record<string, unknown> {
  const output = buildObject(properties, context, '');
  for (const name of required) {
    if (output[name] === undefined || output[name] === null) throw new OutputError(name, 'is required but has no value');
  }
  return output;
}

function buildObject(
  properties: Readonly<Record<string, CompiledOutputProperty>>,
  context: TemplateValue,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) setOwn(out, name, buildProperty(prop, context, `${prefix}${name}`));
  return out;
}

function buildProperty(prop: CompiledOutputProperty, context: TemplateValue, name: string): unknown {
  if (prop.value === undefined) return buildObject(prop.properties ?? {}, context, `${name}.`);
  let rendered: Rendered;
  try {
    const e = prop.value.evaluate(context);
    rendered = new Rendered(e.text, e.value, e.single);
  } catch (e) {
    return fallback(prop.config, name, message(e));
  }
  if (rendered.text === NO_VALUE && prop.config.default !== undefined) return fallback(prop.config, name, 'no value');
  const coerced = coerceOutput(rendered, prop.config.type);
  return coerced.ok ? coerced.value : fallback(prop.config, name, coerced.reason);
}

function fallback(config: OutputPropertyConfig, name: string, reason: string): unknown {
  if (config.default === undefined) throw new OutputError(name, reason);
  const coerced = coerceDefault(config.default, config.type);
  if (!coerced.ok) throw new OutputError(name, coerced.reason);
  return coerced.value;
}

/** The advertised outputSchema: type and description per property, nested objects, required. */
export function outputSchemaOf(output: CompositeOutputConfig): Record<string, unknown> {
  return {
    type: 'object',
    properties: propertySchemas(output.properties),
    ...(output.required.length > 0 ? { required: [...output.required] } : {}),
  };
}

function propertySchemas(properties: Readonly<Record<string, OutputPropertyConfig>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    out[name] = {
      type: prop.type,
      description: prop.description,
      ...(prop.type === 'object' && prop.properties !== undefined ? { properties: propertySchemas(prop.properties) } : {}),
    };
  }
  return out;
}
