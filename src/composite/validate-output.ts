// Rules of `output` (ToolHive's output_validator.go): at least one property, `required` names
// existing properties, each property has a value template or (objects only) nested properties,
// nesting stays within 10 levels, and a default can be coerced to the declared type.
import { error } from '../config/issues.js';
import type { PathSegment } from '../config/issues.js';
import { COMPOSITE_LIMITS } from '../config/schema-composite.js';
import type { OutputValueType } from '../config/types-composite.js';
import { coerceDefault } from './coerce.js';
import { didYouMean, list, rec } from './validate-model.js';
import type { IssueSink } from './validate-model.js';

const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array']);

export function outputIssues(output: unknown, at: readonly PathSegment[], report: IssueSink): void {
  if (output === undefined) return;
  const properties = rec(rec(output).properties);
  if (Object.keys(properties).length === 0) {
    report(error([...at, 'properties'], "output needs at least one property (or leave output out to return the last step's output)"));
  }
  list(rec(output).required).forEach((name, i) => {
    if (typeof name === 'string' && !Object.hasOwn(properties, name)) {
      report(error([...at, 'required', i], `"${name}" is not one of the output properties${didYouMean(name, Object.keys(properties))}`));
    }
  });
  propertyIssues(properties, [...at, 'properties'], 1, report);
}

function propertyIssues(properties: Readonly<Record<string, unknown>>, at: readonly PathSegment[], depth: number, report: IssueSink): void {
  if (depth > COMPOSITE_LIMITS.maxOutputDepth) {
    report(error(at, `output properties nest deeper than ${COMPOSITE_LIMITS.maxOutputDepth} levels`));
    return;
  }
  for (const [name, raw] of Object.entries(properties)) {
    const prop = rec(raw);
    const here = [...at, name];
    const hasValue = typeof prop.value === 'string' && prop.value !== '';
    const hasProperties = Object.keys(rec(prop.properties)).length > 0;
    if (prop.type === 'object' && hasValue && hasProperties)
      report(error(here, 'an object property has either value or properties, not both'));
    else if (prop.type === 'object' && !hasValue && !hasProperties) report(error(here, 'an object property needs value or properties'));
    else if (prop.type !== 'object' && TYPES.has(String(prop.type)) && !hasValue)
      report(error(here, `${/^[aeiou]/.test(String(prop.type)) ? 'an' : 'a'} ${String(prop.type)} property needs value`));
    if (prop.type !== 'object' && prop.properties !== undefined)
      report(error([...here, 'properties'], 'only object properties have properties', true));
    if (prop.default !== undefined && prop.default !== null && TYPES.has(String(prop.type))) {
      const coerced = coerceDefault(prop.default, prop.type as OutputValueType);
      if (!coerced.ok) report(error([...here, 'default'], coerced.reason));
    }
    if (hasProperties) propertyIssues(rec(prop.properties), [...here, 'properties'], depth + 1, report);
  }
}
