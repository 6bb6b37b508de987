// The one place local errors become JSON-RPC errors (house rule 7). A backend's own JSON-RPC
// error is the backend's answer and passes through unchanged; only local failures are mapped.
// Backend failure never blames the request: it is -32603, never -32602.
import { ProtocolError } from '@modelcontextprotocol/server';
import { ErrorCodes, VmcpError, type ErrorCode } from './codes.js';

/** JSON-RPC / MCP numeric codes used by the gateway. */
export const JsonRpcCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Server-defined (JSON-RPC reserves -32000..-32099): the caller must authenticate. */
  AUTH_REQUIRED: -32001,
  /** ToolHive's vMCP answers an authorization deny with code 403. */
  FORBIDDEN: 403,
} as const;

const numericCode: Record<ErrorCode, number> = {
  [ErrorCodes.CONFIG_INVALID]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.NAME_CONFLICT]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.TOOL_NOT_FOUND]: JsonRpcCodes.INVALID_PARAMS,
  [ErrorCodes.PROMPT_NOT_FOUND]: JsonRpcCodes.INVALID_PARAMS,
  // SEP-2164: an unknown resource is invalid params (-32602); the SDK v2 maps the old -32002 to it too.
  [ErrorCodes.RESOURCE_NOT_FOUND]: JsonRpcCodes.INVALID_PARAMS,
  [ErrorCodes.METHOD_NOT_FOUND]: JsonRpcCodes.METHOD_NOT_FOUND,
  [ErrorCodes.INVALID_PARAMS]: JsonRpcCodes.INVALID_PARAMS,
  [ErrorCodes.BACKEND_UNAVAILABLE]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.BACKEND_TIMEOUT]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.BACKEND_FAILED]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.CLIENT_CAPABILITY_MISSING]: JsonRpcCodes.METHOD_NOT_FOUND,
  [ErrorCodes.NO_CALL_IN_FLIGHT]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.CANCELLED]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.SHUTTING_DOWN]: JsonRpcCodes.INTERNAL_ERROR,
  [ErrorCodes.BACKEND_AUTH_FAILED]: JsonRpcCodes.INTERNAL_ERROR,
  // The user must authenticate with that backend: an auth error, not a gateway fault.
  [ErrorCodes.BACKEND_AUTH_REQUIRED]: JsonRpcCodes.AUTH_REQUIRED,
  [ErrorCodes.UNAUTHENTICATED]: JsonRpcCodes.AUTH_REQUIRED,
  // ToolHive's convention on the wire for an authorization deny: JSON-RPC code 403.
  [ErrorCodes.FORBIDDEN]: JsonRpcCodes.FORBIDDEN,
};

/** Turn anything thrown while serving a request into what goes on the wire. */
export function toJsonRpcError(err: unknown): Error {
  if (err instanceof VmcpError) {
    return new ProtocolError(numericCode[err.code], err.message, { code: err.code, ...err.details });
  }
  if (err instanceof ProtocolError) return err; // a backend's own JSON-RPC error: unchanged
  const message = err instanceof Error ? err.message : String(err);
  return new ProtocolError(JsonRpcCodes.INTERNAL_ERROR, `Internal error: ${message}`, { code: ErrorCodes.BACKEND_FAILED });
}
