// The caller's arguments: an object (or nothing), every `required` parameter present, and each
// missing parameter that has a `default` in the parameters schema filled in before the run
// (ToolHive's applyParameterDefaults; arguments the caller gave are never overwritten).
import type { JsonObject } from '../config/types-composite.js';
import { setOwn } from './template/values.js';

export function checkArguments(args: unknown, parameters: JsonObject): string | undefined {
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return 'arguments must be an object';
  const given = (args ?? {}) as Record<string, unknown>;
  const required = Array.isArray(parameters.required) ? parameters.required.filter((r): r is string => typeof r === 'string') : [];
  const properties = asRecord(parameters.properties);
  const missing = required.filter((name) => given[name] === undefined && asRecord(properties[name]).default === undefined);
  return missing.length === 0 ? undefined : `missing required parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
}

export function applyParameterDefaults(
  parameters: JsonObject,
  args: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(args ?? {}) };
  for (const [name, schema] of Object.entries(asRecord(parameters.properties))) {
    const fallback = asRecord(schema).default;
    if (!Object.hasOwn(out, name) && fallback !== undefined) setOwn(out, name, structuredClone(fallback));
  }
  return out;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
