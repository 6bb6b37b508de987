// The JSON Schema of the config file, generated from the zod schema (the single source of truth)
// and committed as schema/vmcp-config.schema.json so editors can validate and complete YAML
// (`# yaml-language-server: $schema=...`). A test fails when the committed file is stale
// (house rule 6); `npm run schema` rewrites it.
import { z } from 'zod';
import { configSchema } from './schema.js';

export const SCHEMA_ID = 'urn:vmcp:config:v1';

// Keywords a reader looks for first; anything else follows alphabetically. Maps of user-chosen
// names (`properties`, `$defs`) keep declaration order, which mirrors the docs.
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'items',
  'properties',
  'propertyNames',
  'additionalProperties',
  'required',
  'oneOf',
  'anyOf',
  'allOf',
];
const NAME_MAPS = new Set(['properties', '$defs', 'patternProperties']);

export function renderSchema(): string {
  const generated = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' });
  const withHeader = {
    ...generated,
    $id: SCHEMA_ID,
    title: 'vmcp configuration',
    description: 'Configuration file of vmcp, the Virtual MCP Server. See docs/configuration.md.',
  };
  return `${JSON.stringify(canonical(withHeader, false), null, 2)}\n`;
}

function canonical(value: unknown, isNameMap: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, false));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (!isNameMap) entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, child]) => [key, canonical(child, !isNameMap && NAME_MAPS.has(key))]));
}

function rank(key: string): number {
  const index = KEYWORD_ORDER.indexOf(key);
  return index === -1 ? KEYWORD_ORDER.length : index;
}
