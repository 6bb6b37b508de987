// What a tool pin covers and how it is hashed: the fields a client's model reads (name,
// description, input and output schema, annotations), as canonical JSON (object keys sorted at
// every depth, array order kept, undefined dropped), hashed with SHA-256. Other fields (icons,
// _meta, title outside annotations) do not change what a model is told, so they are not pinned.
import { createHash } from 'node:crypto';

export const PINNED_FIELDS = ['name', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/** The pinned fields a tool has (absent ones are left out, so adding one is a change). */
export function pinnedPart(tool: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) if (tool[field] !== undefined) out[field] = tool[field];
  return out;
}

/** JSON with object keys sorted at every depth; equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export function digestOf(definition: Readonly<Record<string, unknown>>): string {
  return `sha256:${createHash('sha256').update(canonicalJson(definition)).digest('hex')}`;
}

/** The pinned part of a tool and its hash. */
export function toolPin(tool: Readonly<Record<string, unknown>>): { definition: Record<string, unknown>; hash: string } {
  const definition = pinnedPart(tool);
  return { definition, hash: digestOf(definition) };
}
