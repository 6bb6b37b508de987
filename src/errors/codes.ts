// One registry of stable error codes (house rule 7). Local failures are VmcpError(code); they
// become JSON-RPC errors only in to-jsonrpc.ts. Codes never change meaning once released.

export const ErrorCodes = {
  CONFIG_INVALID: 'VMCP_CONFIG_INVALID',
  NAME_CONFLICT: 'VMCP_NAME_CONFLICT',
  TOOL_NOT_FOUND: 'VMCP_TOOL_NOT_FOUND',
  PROMPT_NOT_FOUND: 'VMCP_PROMPT_NOT_FOUND',
  RESOURCE_NOT_FOUND: 'VMCP_RESOURCE_NOT_FOUND',
  METHOD_NOT_FOUND: 'VMCP_METHOD_NOT_FOUND',
  INVALID_PARAMS: 'VMCP_INVALID_PARAMS',
  BACKEND_UNAVAILABLE: 'VMCP_BACKEND_UNAVAILABLE',
  BACKEND_TIMEOUT: 'VMCP_BACKEND_TIMEOUT',
  BACKEND_FAILED: 'VMCP_BACKEND_FAILED',
  CLIENT_CAPABILITY_MISSING: 'VMCP_CLIENT_CAPABILITY_MISSING',
  NO_CALL_IN_FLIGHT: 'VMCP_NO_CALL_IN_FLIGHT',
  CANCELLED: 'VMCP_CANCELLED',
  SHUTTING_DOWN: 'VMCP_SHUTTING_DOWN',
  BACKEND_AUTH_FAILED: 'VMCP_BACKEND_AUTH_FAILED',
  BACKEND_AUTH_REQUIRED: 'VMCP_BACKEND_AUTH_REQUIRED',
  UNAUTHENTICATED: 'VMCP_UNAUTHENTICATED',
  FORBIDDEN: 'VMCP_FORBIDDEN',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class VmcpError extends Error {
  readonly code: ErrorCode;
  /** Safe, structured details for the client (never secrets, never raw backend errors). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VmcpError';
    this.code = code;
    this.details = details;
  }
}

export function isVmcpError(err: unknown, code?: ErrorCode): err is VmcpError {
  return err instanceof VmcpError && (code === undefined || err.code === code);
}
