// Response bodies of HTTP backends, read from the Node stream with a byte bound, and the short,
// credential-free summary of a non-2xx answer. A backend's error body is never repeated verbatim:
// it may echo our request headers, hold a stack trace or an HTML page.
import type { Readable } from 'node:stream';
import { SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describeError } from './errors.js';

export type BoundedBody = { readonly kind: 'complete'; readonly text: string } | { readonly kind: 'too-large' };

/** Read a whole body; past `limit` bytes the stream is destroyed and nothing more is kept. */
export function readBounded(body: Readable, limit: number): Promise<BoundedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) return void chunks.push(chunk);
      body.off('data', onData);
      body.destroy();
      chunks.length = 0;
      resolve({ kind: 'too-large' });
    };
    body.on('data', onData);
    body.once('end', () =>
      resolve({ kind: 'complete', text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') }),
    );
    body.on('error', reject);
  });
}

/** Drain a body we do not need, so the keep-alive socket can be reused. */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.resume();
}

/** How much of an error body is read to find a reason in it. */
const ERROR_BODY_BYTES = 4096;
const REASON_CHARS = 120;

export interface HttpFailure {
  status: number;
  statusText: string;
  contentType: string | undefined;
}

/**
 * The error for a non-2xx answer: status and a short sanitized reason. `text` (what the SDK's
 * version negotiation reads, typescript-sdk `classifyHttpError`) is kept only when the body is a
 * JSON-RPC error, and then re-serialized from the parsed error, never the raw body.
 */
export async function httpFailure(backend: string, what: string, res: HttpFailure, body: Readable): Promise<SdkHttpError> {
  const read = await readBounded(body, ERROR_BODY_BYTES).catch(() => ({ kind: 'too-large' }) as const);
  const text = read.kind === 'complete' ? read.text : '';
  const rpc = jsonRpcError(text, res.contentType);
  const reason = reasonOf(text, res.contentType, rpc);
  const code =
    res.status === 401
      ? SdkErrorCode.ClientHttpAuthentication
      : res.status === 403
        ? SdkErrorCode.ClientHttpForbidden
        : SdkErrorCode.ClientHttpNotImplemented;
  const head = `Backend "${backend}" answered ${what} with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return new SdkHttpError(code, reason ? `${head}: ${reason}` : head, {
    status: res.status,
    statusText: res.statusText,
    ...(rpc ? { text: JSON.stringify(rpc) } : {}),
  });
}

type RpcErrorBody = { jsonrpc: '2.0'; id: unknown; error: { code: number; message: string; data?: unknown } };

function jsonRpcError(text: string, contentType: string | undefined): RpcErrorBody | undefined {
  if (!contentType?.includes('json') || text === '') return undefined;
  try {
    const v = JSON.parse(text) as Partial<RpcErrorBody>;
    const e = v?.error;
    if (v?.jsonrpc !== '2.0' || !e || typeof e.code !== 'number' || typeof e.message !== 'string') return undefined;
    return { jsonrpc: '2.0', id: v.id ?? null, error: { code: e.code, message: e.message, ...('data' in e ? { data: e.data } : {}) } };
  } catch {
    return undefined;
  }
}

function reasonOf(text: string, contentType: string | undefined, rpc: RpcErrorBody | undefined): string {
  let reason = rpc?.error.message ?? '';
  if (!reason && contentType?.includes('json')) reason = jsonReason(text);
  if (!reason && contentType?.startsWith('text/plain')) reason = text.split(/\r?\n/, 1)[0] ?? '';
  return sanitize(reason);
}

function jsonReason(text: string): string {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    for (const k of ['error_description', 'message', 'error', 'detail', 'title']) {
      const s = v[k] ?? (typeof v['error'] === 'object' && v['error'] ? (v['error'] as Record<string, unknown>)[k] : undefined);
      if (typeof s === 'string') return s;
    }
  } catch {
    /* not JSON after all */
  }
  return '';
}

/** Printable, short, with anything that looks like a credential masked. */
export function sanitize(reason: string): string {
  const masked = describeError(reason)
    .replace(/\b(bearer|basic|token)\s+[^\s,;]+/gi, '$1 ***')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '***')
    .replace(/[A-Za-z0-9+/_=-]{32,}/g, '***')
    .replace(/[^\x20-\x7e]/g, ' ')
    .trim();
  return masked.length > REASON_CHARS ? `${masked.slice(0, REASON_CHARS)}…` : masked;
}
