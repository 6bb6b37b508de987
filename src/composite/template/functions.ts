// The functions a template may call: Go's builtins eq ne lt le gt ge and or not index len print
// printf, plus ToolHive's json, quote and fromJson. Semantics follow Go's text/template
// (https://pkg.go.dev/text/template#hdr-Functions) except where noted: comparing an integer with
// a float compares the numbers (Go refuses), and printf's %d accepts whole JSON numbers.
import { byteLength, goJson, goQuote, goSprint, goSprintf } from './format.js';
import { goTypeName, isObject, isTrue, TemplateError } from './values.js';
import type { TemplateValue } from './values.js';

export type Thunk = () => TemplateValue;

export interface TemplateFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** and/or evaluate their arguments only as far as needed (Go 1.18+). */
  readonly call: (args: readonly Thunk[]) => TemplateValue;
}

const eager = (min: number, max: number, fn: (args: TemplateValue[]) => TemplateValue): TemplateFunction => ({
  minArgs: min,
  maxArgs: max,
  call: (args) => fn(args.map((a) => a())),
});

export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  eq: eager(2, Infinity, ([a, ...rest]) => rest.some((b) => equal(a, b))),
  ne: eager(2, 2, ([a, b]) => !equal(a, b)),
  lt: eager(2, 2, ([a, b]) => compare(a, b) < 0),
  le: eager(2, 2, ([a, b]) => compare(a, b) <= 0),
  gt: eager(2, 2, ([a, b]) => compare(a, b) > 0),
  ge: eager(2, 2, ([a, b]) => compare(a, b) >= 0),
  and: { minArgs: 1, maxArgs: Infinity, call: (args) => shortCircuit(args, false) },
  or: { minArgs: 1, maxArgs: Infinity, call: (args) => shortCircuit(args, true) },
  not: eager(1, 1, ([a]) => !isTrue(a)),
  index: eager(1, Infinity, ([item, ...keys]) => keys.reduce<TemplateValue>((v, k) => indexOne(v, k), item)),
  len: eager(1, 1, ([a]) => length(a)),
  json: eager(1, 1, ([a]) => goJson(a)),
  quote: eager(1, 1, ([a]) => goQuote(stringArg('quote', a))),
  fromJson: eager(1, 1, ([a]) => parseJson(stringArg('fromJson', a))),
  print: eager(0, Infinity, (args) => goSprint(args)),
  printf: eager(1, Infinity, ([format, ...args]) => goSprintf(stringArg('printf', format), args)),
};

/** and: the first false argument, else the last; or: the first true argument, else the last. */
function shortCircuit(args: readonly Thunk[], stopWhen: boolean): TemplateValue {
  let value: TemplateValue;
  for (const arg of args) {
    value = arg();
    if (isTrue(value) === stopWhen) return value;
  }
  return value;
}

type Kind = 'missing' | 'bool' | 'number' | 'string' | 'other';

function kindOf(v: TemplateValue): Kind {
  if (v === undefined || v === null) return 'missing';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  return typeof v === 'string' ? 'string' : 'other';
}

/** Go's eq: a missing value equals only another missing value; mismatched kinds are an error. */
function equal(a: TemplateValue, b: TemplateValue): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'missing' || kb === 'missing') return ka === kb;
  if (ka === 'other' || kb === 'other') throw new TemplateError(`non-comparable types: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (ka !== kb) throw new TemplateError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (ka === 'number') return Number(a) === Number(b);
  return a === b;
}

/** Go's lt family: numbers and strings only; a missing value is an error. */
function compare(a: TemplateValue, b: TemplateValue): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'missing' || kb === 'missing' || ka === 'bool' || ka === 'other' || kb === 'bool' || kb === 'other') {
    throw new TemplateError(`invalid type for comparison: ${goTypeName(ka === 'number' || ka === 'string' ? b : a)}`);
  }
  if (ka !== kb) throw new TemplateError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (ka === 'number') return Number(a) - Number(b);
  return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
}

function indexOne(item: TemplateValue, key: TemplateValue): TemplateValue {
  if (item === undefined || item === null) throw new TemplateError('index of untyped nil');
  if (Array.isArray(item)) {
    const i = typeof key === 'bigint' ? Number(key) : typeof key === 'number' && Number.isInteger(key) ? key : undefined;
    if (i === undefined) throw new TemplateError(`cannot index slice/array with type ${goTypeName(key)}`);
    if (i < 0 || i >= item.length) throw new TemplateError(`index out of range: ${i}`);
    return item[i];
  }
  if (isObject(item)) {
    if (typeof key !== 'string') throw new TemplateError(`value has type ${goTypeName(key)}; should be string`);
    return Object.hasOwn(item, key) ? item[key] : undefined;
  }
  throw new TemplateError(`can't index item of type ${goTypeName(item)}`);
}

function length(value: TemplateValue): bigint {
  if (typeof value === 'string') return BigInt(byteLength(value));
  if (Array.isArray(value)) return BigInt(value.length);
  if (isObject(value)) return BigInt(Object.keys(value).length);
  throw new TemplateError(value === undefined || value === null ? 'len of nil pointer' : `len of type ${goTypeName(value)}`);
}

function stringArg(fn: string, value: TemplateValue): string {
  if (typeof value === 'string') return value;
  throw new TemplateError(
    value === undefined || value === null ? `${fn}: invalid value; expected string` : `${fn}: expected string; got ${goTypeName(value)}`,
  );
}

function parseJson(text: string): TemplateValue {
  try {
    return JSON.parse(text) as TemplateValue;
  } catch (e) {
    throw new TemplateError(`fromJson: failed to unmarshal JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
