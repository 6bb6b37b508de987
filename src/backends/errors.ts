// Connection-level facts about backend errors. Classification into failure kinds lives in
// errors/classify.ts (the one place); this only answers "is the backend session gone?".
import { SdkHttpError } from '@modelcontextprotocol/client';

export { describeError } from '../errors/describe.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** True when the backend lost our session (HTTP 404) or cannot be reached at all. */
export function connectionIsGone(err: unknown): boolean {
  if (err instanceof SdkHttpError && err.status === 404) return true;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && NETWORK_CODES.has(code)) return true;
  }
  return false;
}
