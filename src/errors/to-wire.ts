// The one place errors become wire errors (house rule 7): JSON-RPC error objects, and the HTTP
// status when the edge answers at the HTTP level. A backend's own JSON-RPC error is its answer and
// passes through unchanged; local failures get a stable `data.code` (VMCP_*). A backend failure
// never blames the request: it is never -32602.
import { ProtocolError } from '@modelcontextprotocol/client';
import { JsonRpcCodes, type JsonRpcErrorObject } from '../protocol/json-rpc.js';
import { ErrorCodes, VmcpError, type ErrorCode } from './codes.js';
import { describeError } from './describe.js';

interface WireShape {
  readonly rpc: number;
  /** HTTP status when the error is answered at the HTTP level (before or instead of JSON-RPC). */
  readonly http: number;
}

const E = JsonRpcCodes;
const SHAPES: Record<ErrorCode, WireShape> = {
  [ErrorCodes.CONFIG_INVALID]: { rpc: E.INTERNAL_ERROR, http: 500 },
  [ErrorCodes.NAME_CONFLICT]: { rpc: E.INTERNAL_ERROR, http: 500 },
  [ErrorCodes.PARSE_ERROR]: { rpc: E.PARSE_ERROR, http: 400 },
  [ErrorCodes.INVALID_REQUEST]: { rpc: E.INVALID_REQUEST, http: 400 },
  [ErrorCodes.REQUEST_TOO_LARGE]: { rpc: E.INVALID_REQUEST, http: 413 },
  [ErrorCodes.DUPLICATE_REQUEST_ID]: { rpc: E.INVALID_REQUEST, http: 400 },
  [ErrorCodes.TOOL_NOT_FOUND]: { rpc: E.INVALID_PARAMS, http: 200 },
  [ErrorCodes.PROMPT_NOT_FOUND]: { rpc: E.INVALID_PARAMS, http: 200 },
  // SEP-2164: an unknown resource is invalid params (-32602); the SDK v2 maps the old -32002 to it too.
  [ErrorCodes.RESOURCE_NOT_FOUND]: { rpc: E.INVALID_PARAMS, http: 200 },
  // 2026-07-28 (SEP-2575): an unknown method is HTTP 404; on a 2025-era session it stays in-band.
  [ErrorCodes.METHOD_NOT_FOUND]: { rpc: E.METHOD_NOT_FOUND, http: 404 },
  [ErrorCodes.INVALID_PARAMS]: { rpc: E.INVALID_PARAMS, http: 400 },
  [ErrorCodes.CLIENT_CAPABILITY_MISSING]: { rpc: E.METHOD_NOT_FOUND, http: 400 },
  [ErrorCodes.MISSING_REQUIRED_CAPABILITY]: { rpc: E.MISSING_CLIENT_CAPABILITY, http: 400 },
  [ErrorCodes.HEADER_MISMATCH]: { rpc: E.HEADER_MISMATCH, http: 400 },
  [ErrorCodes.NOT_ACCEPTABLE]: { rpc: E.SERVER_ERROR, http: 406 },
  [ErrorCodes.UNSUPPORTED_MEDIA_TYPE]: { rpc: E.SERVER_ERROR, http: 415 },
  [ErrorCodes.METHOD_NOT_ALLOWED]: { rpc: E.SERVER_ERROR, http: 405 },
  [ErrorCodes.UNSUPPORTED_PROTOCOL_VERSION]: { rpc: E.SERVER_ERROR, http: 400 },
  [ErrorCodes.HOST_NOT_ALLOWED]: { rpc: E.SERVER_ERROR, http: 403 },
  [ErrorCodes.NOT_FOUND]: { rpc: E.SERVER_ERROR, http: 404 },
  [ErrorCodes.SESSION_REQUIRED]: { rpc: E.SERVER_ERROR, http: 400 },
  [ErrorCodes.SESSION_NOT_FOUND]: { rpc: E.AUTH_REQUIRED, http: 404 },
  [ErrorCodes.SESSION_FORBIDDEN]: { rpc: E.SERVER_ERROR, http: 403 },
  [ErrorCodes.SESSION_CONFLICT]: { rpc: E.SERVER_ERROR, http: 409 },
  [ErrorCodes.SESSION_LIMIT]: { rpc: E.SERVER_ERROR, http: 503 },
  [ErrorCodes.STORE_UNAVAILABLE]: { rpc: E.SERVER_ERROR, http: 503 },
  [ErrorCodes.RATE_LIMITED]: { rpc: E.RATE_LIMITED, http: 429 },
  [ErrorCodes.BACKEND_UNAVAILABLE]: { rpc: E.INTERNAL_ERROR, http: 502 },
  [ErrorCodes.BACKEND_TIMEOUT]: { rpc: E.INTERNAL_ERROR, http: 504 },
  [ErrorCodes.BACKEND_FAILED]: { rpc: E.INTERNAL_ERROR, http: 502 },
  [ErrorCodes.BACKEND_PROTOCOL_ERROR]: { rpc: E.INTERNAL_ERROR, http: 502 },
  [ErrorCodes.RESULT_TOO_LARGE]: { rpc: E.INTERNAL_ERROR, http: 502 },
  [ErrorCodes.NO_CALL_IN_FLIGHT]: { rpc: E.INTERNAL_ERROR, http: 500 },
  [ErrorCodes.CANCELLED]: { rpc: E.INTERNAL_ERROR, http: 500 },
  [ErrorCodes.SHUTTING_DOWN]: { rpc: E.INTERNAL_ERROR, http: 503 },
  [ErrorCodes.INTERNAL]: { rpc: E.INTERNAL_ERROR, http: 500 },
  [ErrorCodes.BACKEND_AUTH_FAILED]: { rpc: E.INTERNAL_ERROR, http: 502 },
  // The user must authenticate with that backend: an auth error, not a gateway fault.
  [ErrorCodes.BACKEND_AUTH_REQUIRED]: { rpc: E.AUTH_REQUIRED, http: 401 },
  [ErrorCodes.UNAUTHENTICATED]: { rpc: E.AUTH_REQUIRED, http: 401 },
  // ToolHive's convention on the wire for an authorization deny: JSON-RPC code 403.
  [ErrorCodes.FORBIDDEN]: { rpc: E.FORBIDDEN, http: 403 },
};

/** Turn anything thrown while serving a request into the JSON-RPC error that goes on the wire. */
export function toWireError(err: unknown): JsonRpcErrorObject {
  if (err instanceof VmcpError) {
    const retry = err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds };
    return { code: SHAPES[err.code].rpc, message: err.message, data: { code: err.code, ...err.details, ...retry } };
  }
  if (err instanceof ProtocolError) {
    // A backend's own JSON-RPC error: unchanged.
    return err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data };
  }
  return { code: E.INTERNAL_ERROR, message: `Internal error: ${describeError(err)}`, data: { code: ErrorCodes.INTERNAL } };
}

/** The HTTP status for an error the edge answers at the HTTP level. */
export function httpStatusFor(err: unknown): number {
  return err instanceof VmcpError ? (err.httpStatus ?? SHAPES[err.code].http) : 500;
}

/** Headers that go with an HTTP-level error answer (Retry-After for 503/429). */
export function httpHeadersFor(err: unknown): Record<string, string> {
  return err instanceof VmcpError && err.retryAfterSeconds !== undefined ? { 'retry-after': String(err.retryAfterSeconds) } : {};
}
