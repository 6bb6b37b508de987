// One JSON POST to an embedding service, bounded in time and size. Every failure becomes an
// EmbeddingError whose message names the service and the reason, never a header value.

/** Largest response read: 32 inputs × 4096 dimensions as JSON text is ~3 MiB; 16 MiB is ample. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export class EmbeddingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddingError';
  }
}

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxBytes?: number;
}

export async function postJson(url: string, body: unknown, options: PostOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    throw new EmbeddingError(`${url}: ${timeout.aborted ? `no answer within ${options.timeoutMs} ms` : reason(err)}`, { cause: err });
  }
  const text = await readBounded(response, options.maxBytes ?? MAX_RESPONSE_BYTES, url, timeout, options.timeoutMs);
  if (!response.ok) throw new EmbeddingError(`${url}: HTTP ${response.status} ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EmbeddingError(`${url}: the response is not JSON`);
  }
}

async function readBounded(response: Response, maxBytes: number, url: string, timeout: AbortSignal, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new EmbeddingError(`${url}: response of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        await response.body?.cancel();
        throw new EmbeddingError(`${url}: response is over the ${maxBytes}-byte limit`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof EmbeddingError) throw err;
    throw new EmbeddingError(`${url}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : reason(err)}`, { cause: err });
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}

/** A finite number[] of the expected length, or an error naming what was wrong. */
export function toVector(value: unknown, url: string): Float32Array {
  if (!Array.isArray(value) || value.length === 0 || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new EmbeddingError(`${url}: an embedding is not a non-empty array of numbers`);
  }
  return Float32Array.from(value as number[]);
}
