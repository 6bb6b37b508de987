// What of a request or result may go into an audit event: values under keys that name a secret
// are replaced, depth and size are bounded (audit.maxDataSize), and anything larger is replaced by
// a note saying how large it was — never silently cut JSON.
export const REDACTED = '[REDACTED]';

/** Key names that carry credentials in tool arguments and results. */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|api[-_]?key|auth(orization)?$|cookie|credential|private[-_]?key|bearer|session[-_]?id/i;
const MAX_DEPTH = 32;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

/** The redacted value, or a note when its JSON is larger than `maxBytes`. */
export function bounded(value: unknown, maxBytes: number): unknown {
  const clean = redact(value);
  const json = JSON.stringify(clean) ?? 'null';
  const bytes = Buffer.byteLength(json);
  return bytes <= maxBytes ? clean : `[omitted: ${bytes} bytes, more than audit.maxDataSize (${maxBytes})]`;
}
