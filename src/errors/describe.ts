// A short, credential-free description of an error for messages and logs: URLs lose their
// user:pass@ part, query parameters that look like secrets are masked, and the text is bounded.

const MAX_CHARS = 300;

export function describeError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return sanitize(raw + cause);
}

export function sanitize(text: string, max = MAX_CHARS): string {
  const clean = text
    .replace(/(https?:\/\/)[^\s/@]+@/g, '$1')
    .replace(/([?&][^=\s]*(token|key|secret|password|auth)[^=\s]*=)[^&\s]+/gi, '$1***')
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
