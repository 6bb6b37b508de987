// Backend failures → local errors naming the backend. A backend's own JSON-RPC error (ProtocolError)
// is its answer and passes through unchanged; transport failures never leak raw details such as
// URLs with credentials.
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { ErrorCodes, VmcpError } from '../errors/codes.js';

export function mapBackendError(err: unknown, backend: string, method: string, timeoutMs: number): unknown {
  if (err instanceof ProtocolError || err instanceof VmcpError) return err;
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout) {
      return new VmcpError(
        ErrorCodes.BACKEND_TIMEOUT,
        `Backend "${backend}" did not answer ${method} within ${timeoutMs / 1000}s`,
        { backend },
        { cause: err },
      );
    }
    if (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.SendFailed) {
      return new VmcpError(
        ErrorCodes.BACKEND_UNAVAILABLE,
        `Backend "${backend}" connection was lost during ${method}`,
        { backend },
        { cause: err },
      );
    }
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return new VmcpError(ErrorCodes.CANCELLED, `${method} to backend "${backend}" was cancelled`, { backend }, { cause: err });
  }
  return new VmcpError(
    ErrorCodes.BACKEND_FAILED,
    `Backend "${backend}" failed ${method}: ${describeError(err)}`,
    { backend },
    { cause: err },
  );
}

/** A short, credential-free description of a connection failure. */
export function describeError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return (raw + cause)
    .replace(/(https?:\/\/)[^\s/@]+@/g, '$1') // user:pass@host
    .replace(/([?&][^=\s]*(token|key|secret|password|auth)[^=\s]*=)[^&\s]+/gi, '$1***')
    .slice(0, 300);
}

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
