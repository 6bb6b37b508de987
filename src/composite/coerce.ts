// Turning rendered templates into typed JSON. ToolHive renders every argument to text and then
// parses it against the target tool's input schema
// (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/schema); we do the same, except that
// a template which is exactly one action keeps its value: `"{{.params.count}}"` reaches an integer
// argument as 1000000, where Go's text would be "1e+06" and the coercion would fail.
import type { OutputValueType } from '../config/types-composite.js';
import { formatGoFloat, formatV, isObject, setOwn, toJson } from './template/values.js';
import type { TemplateValue } from './template/values.js';

/** A template string after rendering. */
export class Rendered {
  readonly text: string;
  readonly value: TemplateValue;
  /** The template was one action, so `value` is what it evaluated to. */
  readonly single: boolean;
  constructor(text: string, value: TemplateValue, single: boolean) {
    this.text = text;
    this.value = value;
    this.single = single;
  }

  /** A lone action that found nothing (`{{.params.unset}}`): the argument is left out. */
  get missing(): boolean {
    return this.single && (this.value === undefined || this.value === null);
  }
}

/** strconv.ParseInt(s, 10, 64). */
export function parseGoInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? undefined : Number(n);
}

/** strconv.ParseFloat(s, 64), without the forms JSON cannot carry (inf, nan). */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

type Schema = Readonly<Record<string, unknown>>;
const asSchema = (v: unknown): Schema | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined);

/**
 * Resolve an expanded arguments tree against the tool's input schema (ToolHive's TryCoerce:
 * object properties and array items recurse; a value that does not parse stays text).
 */
export function coerceArguments(tree: Readonly<Record<string, unknown>>, inputSchema: unknown): Record<string, unknown> {
  return coerceNode(tree, inputSchema) as Record<string, unknown>;
}

const OMIT = Symbol('omit');

function coerceNode(node: unknown, schema: unknown): unknown {
  const s = asSchema(schema);
  if (node instanceof Rendered) return node.missing ? OMIT : coerceRendered(node, typeOf(s));
  if (Array.isArray(node)) return node.map((item) => coerceNode(item, s?.items)).filter((v) => v !== OMIT);
  if (typeof node === 'object' && node !== null) {
    const props = asSchema(s?.properties);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const coerced = coerceNode(value, props?.[key]);
      if (coerced !== OMIT) setOwn(out, key, coerced);
    }
    return out;
  }
  return node;
}

/** `type: integer`, or the first non-null type of `type: [integer, "null"]`. */
function typeOf(schema: Schema | undefined): unknown {
  const type = schema?.type;
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type;
}

function coerceRendered(r: Rendered, type: unknown): unknown {
  const raw = r.single ? r.value : undefined;
  switch (type) {
    case 'integer':
      if ((typeof raw === 'number' && Number.isInteger(raw)) || typeof raw === 'bigint') return Number(raw);
      return parseGoInt(r.text) ?? r.text;
    case 'number':
      if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw);
      return parseGoFloat(r.text) ?? r.text;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : (parseGoBool(r.text) ?? r.text);
    case 'object':
    case 'array':
      return structured(r, type) ?? r.text;
    default:
      return r.text;
  }
}

/** An object or array: the action's own value, else the text decoded as JSON (a `{{json …}}`). */
function structured(r: Rendered, type: 'object' | 'array'): unknown {
  const fits = (v: unknown): boolean => (type === 'array' ? Array.isArray(v) : isObject(v as TemplateValue));
  if (r.single && fits(r.value)) return toJson(r.value);
  try {
    const parsed: unknown = JSON.parse(r.text);
    return fits(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export type Coerced = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** An output property's rendered value as its declared type (ToolHive's output_constructor.go). */
export function coerceOutput(r: Rendered, type: OutputValueType): Coerced {
  const fail = (what: string): Coerced => ({ ok: false, reason: `cannot use ${JSON.stringify(truncate(r.text))} as ${what}` });
  switch (type) {
    case 'string':
      return { ok: true, value: r.text };
    case 'object':
    case 'array': {
      const value = structured(r, type);
      return value === undefined ? fail(`a JSON ${type}`) : { ok: true, value };
    }
    default: {
      const value = coerceRendered(r, type);
      return typeof value === (type === 'boolean' ? 'boolean' : 'number') ? { ok: true, value } : fail(`${article(type)} ${type}`);
    }
  }
}

/** A default from the file as the declared type (ToolHive's coerceDefaultValue). */
export function coerceDefault(value: unknown, type: OutputValueType): Coerced {
  const fail = (): Coerced => ({ ok: false, reason: `default ${truncate(JSON.stringify(value) ?? '')} is not ${article(type)} ${type}` });
  const ok = (v: unknown): Coerced => ({ ok: true, value: v });
  switch (type) {
    case 'string':
      if (typeof value === 'string') return ok(value);
      return ok(typeof value === 'number' && !Number.isInteger(value) ? formatGoFloat(value) : formatV(value as TemplateValue, 0));
    case 'integer':
      if (typeof value === 'number') return ok(Math.trunc(value));
      return typeof value === 'string' && parseGoInt(value) !== undefined ? ok(parseGoInt(value)) : fail();
    case 'number':
      if (typeof value === 'number') return ok(value);
      return typeof value === 'string' && parseGoFloat(value) !== undefined ? ok(parseGoFloat(value)) : fail();
    case 'boolean':
      if (typeof value === 'boolean') return ok(value);
      if (typeof value === 'number' && Number.isInteger(value)) return ok(value === 1);
      if (typeof value === 'string' && ['true', 'True', 'TRUE', '1'].includes(value)) return ok(true);
      if (typeof value === 'string' && ['false', 'False', 'FALSE', '0'].includes(value)) return ok(false);
      return fail();
    default: {
      const fits = (v: unknown): boolean => (type === 'array' ? Array.isArray(v) : isObject(v as TemplateValue));
      if (fits(value)) return ok(value);
      return typeof value === 'string' ? parsedFits(value, fits, fail) : fail();
    }
  }
}

function parsedFits(text: string, fits: (v: unknown) => boolean, fail: () => Coerced): Coerced {
  try {
    const parsed: unknown = JSON.parse(text);
    return fits(parsed) ? { ok: true, value: parsed } : fail();
  } catch {
    return fail();
  }
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? 'an' : 'a');

export function truncate(text: string, max = 100): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
