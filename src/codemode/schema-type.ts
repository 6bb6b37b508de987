// A JSON Schema as a TypeScript type, for the declarations in the tool description. It covers
// what tool schemas use (types, enum/const, arrays and tuples, objects with required keys and
// additionalProperties, anyOf/oneOf/allOf); anything else, `$ref` included, becomes `unknown`,
// which is always true, only less precise. Nesting past MAX_DEPTH also becomes `unknown`.
import type { JsonSchema } from './host.js';

const MAX_DEPTH = 6;
const MAX_UNION = 20;
const MAX_DOC_CHARS = 160;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const PRIMITIVES: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  null: 'null',
};

/** A one-line doc comment, safe to embed (no comment terminator, no newlines). */
export function docComment(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === '') return '';
  const line = text.replace(/\s+/g, ' ').trim().replace(/\*\//g, '*\\/');
  const cut = line.length > MAX_DOC_CHARS ? `${line.slice(0, MAX_DOC_CHARS - 1)}…` : line;
  return `${indent}/** ${cut} */\n`;
}

export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function literal(value: unknown): string {
  return value === undefined ? 'unknown' : JSON.stringify(value);
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.length === 0) return 'never';
  if (unique.length > MAX_UNION || unique.includes('unknown')) return 'unknown';
  return unique.length === 1 ? unique[0]! : unique.map(wrap).join(' | ');
}

function wrap(type: string): string {
  return /[|&]/.test(type) && !/^[{[(]/.test(type) ? `(${type})` : type;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function schemaType(schema: unknown, depth = 0): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (!isSchema(schema) || depth > MAX_DEPTH) return 'unknown';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return union(alternatives.map((s) => schemaType(s, depth + 1)));
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => wrap(schemaType(s, depth + 1))).join(' & ') || 'unknown';
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length === 0) return schema.properties !== undefined ? objectType(schema, depth) : 'unknown';
  return union(types.map((t) => typeOf(String(t), schema, depth)));
}

function typeOf(type: string, schema: JsonSchema, depth: number): string {
  if (type === 'array') return arrayType(schema, depth);
  if (type === 'object') return objectType(schema, depth);
  return PRIMITIVES[type] ?? 'unknown';
}

function arrayType(schema: JsonSchema, depth: number): string {
  const { items } = schema;
  if (Array.isArray(items)) return `[${items.map((s) => schemaType(s, depth + 1)).join(', ')}]`;
  if (isSchema(items)) {
    const inner = schemaType(items, depth + 1);
    return /[|&]/.test(inner) && !/^[{[]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
  }
  return 'unknown[]';
}

/** Inline object type; `multiline` puts one documented property per line (top-level arguments). */
export function objectType(schema: JsonSchema, depth: number, multiline = false): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0)
    return extra === false ? '{}' : `Record<string, ${isSchema(extra) ? schemaType(extra, depth + 1) : 'unknown'}>`;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const pad = multiline ? '    ' : '';
  const fields = properties.map(([key, value]) => {
    const doc = multiline ? docComment(isSchema(value) ? value.description : undefined, pad) : '';
    return `${doc}${pad}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${schemaType(value, depth + 1)};`;
  });
  if (isSchema(extra)) fields.push(`${pad}[key: string]: unknown;`);
  if (fields.length === 0) return '{}';
  return multiline ? `{\n${fields.join('\n')}\n  }` : `{ ${fields.join(' ')} }`;
}
