// JSON-RPC 2.0 wire vocabulary shared by the edge (client side) and the backends (server side).
// A leaf: it imports nothing else of ours, so both sides can use it without importing each other.

export type JsonObject = Record<string, unknown>;
export type RequestId = string | number;

export interface RpcRequest {
  method: string;
  params?: JsonObject;
}

export interface RpcNotification {
  method: string;
  params?: JsonObject;
}

/** A request as it travels on the wire (with its id). */
export interface JsonRpcRequest extends RpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** JSON-RPC and MCP numeric error codes the gateway uses. */
export const JsonRpcCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Server-defined (JSON-RPC reserves -32000..-32099): a transport-level refusal (session, limits). */
  SERVER_ERROR: -32000,
  /** Server-defined: the caller must authenticate (or re-initialize an unknown session). */
  AUTH_REQUIRED: -32001,
  /** 2026-07-28 (SEP-2243): the Mcp-Param-* headers and the request body disagree. */
  HEADER_MISMATCH: -32020,
  /** 2026-07-28: a request needs a client capability the request did not declare. */
  MISSING_CLIENT_CAPABILITY: -32021,
  /** ToolHive's vMCP answers an authorization deny with code 403. */
  FORBIDDEN: 403,
  /** ToolHive's vMCP answers a rate-limited 2026-07-28 call with code 429. */
  RATE_LIMITED: 429,
} as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
