// The value model of the template engine, with Go's text/template semantics where a workflow can
// observe them. JSON numbers are Go float64 (`number`); the few integers the engine makes itself
// (`len`, `.forEach.index`, `.workflow.duration_ms`, integer literals) are Go int (`bigint`), so
// they print as plain integers while a float prints as Go's %v does (1000000 → "1e+06").
// `undefined` is Go's "invalid value": a missing map key, printed as "<no value>".

export type TemplateValue = undefined | null | boolean | number | bigint | string | readonly TemplateValue[] | TemplateObject;
export interface TemplateObject {
  readonly [key: string]: TemplateValue;
}

export const NO_VALUE = '<no value>';

/** Nesting deeper than this is refused when printing or encoding (the engine's recursion limit). */
export const MAX_TEMPLATE_DEPTH = 100;

export class TemplateError extends Error {
  /** Offset in the template text, when known. */
  readonly offset: number | undefined;
  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'TemplateError';
    this.offset = offset;
  }
}

export function isObject(value: TemplateValue): value is TemplateObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's name for the dynamic type of a value decoded from JSON, for error messages. */
export function goTypeName(value: TemplateValue): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  return Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
}

/** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
export function isTrue(value: TemplateValue): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  return Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;
}

/** What `{{.x}}` writes: Go's fmt %v of the value (a missing value is "<no value>"). */
export function printValue(value: TemplateValue): string {
  if (value === undefined || value === null) return NO_VALUE;
  return formatV(value, 0);
}

/** fmt's %v, as used inside lists and maps too (where nil prints "<nil>"). */
export function formatV(value: TemplateValue, depth: number): string {
  if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateError(`value nesting exceeds the template recursion limit of ${MAX_TEMPLATE_DEPTH}`);
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatV(v, depth + 1)).join(' ')}]`;
  const record = value as TemplateObject;
  // fmt prints map keys sorted (Go 1.12+).
  const keys = Object.keys(record).sort(compareStrings);
  return `map[${keys.map((k) => `${k}:${formatV(record[k], depth + 1)}`).join(' ')}]`;
}

/** Byte-wise order, as Go sorts strings. */
export function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: the shortest digits that round-trip,
 * in exponent form when the exponent is below -4 or at least 6 (so 1e6 → "1e+06").
 */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '0', exponent = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = n < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Set an own property even for the key "__proto__" (which plain assignment would turn into a
 * prototype change): keys come from backends and callers, so they are data, never structure.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON value (from a backend, the client or the config) as a template value: unchanged. */
export function fromJson(value: unknown): TemplateValue {
  return value as TemplateValue;
}

/** A template value as JSON data: Go ints become numbers; `undefined` becomes null. */
export function toJson(value: TemplateValue, depth = 0): unknown {
  if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateError(`value nesting exceeds the template recursion limit of ${MAX_TEMPLATE_DEPTH}`);
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => toJson(v, depth + 1));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, toJson(v, depth + 1));
    return out;
  }
  return value;
}
