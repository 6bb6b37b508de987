// zod issues → RawIssues with messages written for someone editing YAML: "missing required key",
// "unknown key \"x\" (did you mean \"y\"?)", "must be one of …". zod never echoes input values in
// its messages and neither do we, so nothing here can leak a header or env value.
import { z } from 'zod';
import { error } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import { isRecord } from './expand-env.js';
import { suggestKey } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

export function fromZodIssues(issues: readonly ZodIssue[], data: unknown, schema: z.ZodType): RawIssue[] {
  return issues.flatMap((issue) => convert(issue, data, schema));
}

function convert(issue: ZodIssue, data: unknown, schema: z.ZodType): RawIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const hint = suggestKey(schema, data, path, key);
        return error([...path, key], `unknown key "${key}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`, true);
      });
    case 'invalid_type':
      return [error(path, typeMessage(issue.expected, path, data))];
    case 'invalid_union':
      return [error(path, unionMessage(issue, path, data))];
    case 'invalid_value':
      return [error(path, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'invalid_key':
      return [error(path, `key "${String(path.at(-1))}" ${issue.issues[0]?.message ?? 'is not allowed'}`, true)];
    case 'too_small':
      return [error(path, sizeMessage('at least', issue.origin, issue.minimum))];
    case 'too_big':
      return [error(path, sizeMessage('at most', issue.origin, issue.maximum))];
    default:
      return [error(path, issue.message)];
  }
}

function typeMessage(expected: string, path: readonly PathSegment[], data: unknown): string {
  const found = lookup(data, path);
  if (found.missing) {
    return path.length === 0
      ? 'the file is empty: expected a mapping with at least "name" and "backends"'
      : `missing required key "${String(path.at(-1))}"`;
  }
  return `must be ${article(expected)} (found ${describeType(found.value)})`;
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion, path: readonly PathSegment[], data: unknown): string {
  const options = (issue as { options?: unknown[] }).options;
  const choices = Array.isArray(options) ? options.map((o) => JSON.stringify(o)).join(', ') : undefined;
  if (choices === undefined) return issue.message;
  const found = lookup(data, path);
  return found.missing ? `missing required key "${String(path.at(-1))}" (one of ${choices})` : `must be one of ${choices}`;
}

function sizeMessage(bound: 'at least' | 'at most', origin: string, limit: number | bigint): string {
  if (origin === 'string') return limit === 1 && bound === 'at least' ? 'must not be empty' : `must be ${bound} ${limit} characters`;
  if (origin === 'array' || origin === 'set') return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
  return `must be ${bound} ${limit}`;
}

function article(type: string): string {
  if (type === 'object' || type === 'record') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The YAML-level name of a value's type (never the value itself). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}

function lookup(data: unknown, path: readonly PathSegment[]): { missing: boolean; value?: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return { missing: true };
  }
  return current === undefined || (path.length === 0 && current === null) ? { missing: true } : { missing: false, value: current };
}
