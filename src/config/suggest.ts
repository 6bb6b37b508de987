// "did you mean" for unknown keys: find the keys the schema allows at that spot and pick the
// closest by edit distance. Typos such as `timout` or `priorityorder` are the commonest error.
import { z } from 'zod';
import { isRecord } from './expand-env.js';
import type { PathSegment } from './issues.js';

export function suggestKey(root: z.ZodType, data: unknown, path: readonly PathSegment[], key: string): string | undefined {
  const known = knownKeys(root, data, path);
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** The keys allowed in the object at `path`, following the data through arrays and unions. */
function knownKeys(root: z.ZodType, data: unknown, path: readonly PathSegment[]): string[] {
  let schema: z.ZodType | undefined = root;
  let value: unknown = data;
  for (const segment of path) {
    schema = schema === undefined ? undefined : child(unwrap(schema, value), segment);
    value = Array.isArray(value) || isRecord(value) ? (value as Record<PathSegment, unknown>)[segment] : undefined;
  }
  const object = schema === undefined ? undefined : unwrap(schema, value);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  if (schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = String((schema.def as { discriminator: string }).discriminator);
    const tag = isRecord(value) ? value[discriminator] : undefined;
    const options = schema.options as z.ZodType[];
    const match = options.find((o) => o instanceof z.ZodObject && literalOf(o.shape[discriminator]) === tag);
    return match ?? options[0] ?? schema;
  }
  return schema;
}

function child(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(segment)];
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}

function literalOf(schema: unknown): unknown {
  return schema instanceof z.ZodLiteral ? schema.value : undefined;
}

/** Levenshtein distance; keys are short, so the O(n·m) table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
