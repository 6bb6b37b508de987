// Parameter checks for the methods the gateway serves: wrong types are the client's error
// (-32602) and say which field was wrong; the backend never sees them.
import type { JsonObject } from '../protocol/index.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';

export function paramsOf(method: string, params: unknown): JsonObject {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw invalid(method, 'params must be an object');
  return params as JsonObject;
}

export function requireString(method: string, params: JsonObject, field: string): string {
  const value = params[field];
  if (typeof value !== 'string' || value === '') throw invalid(method, `params.${field} must be a non-empty string`);
  return value;
}

export function optionalObject(method: string, params: JsonObject, field: string): void {
  const value = params[field];
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw invalid(method, `params.${field} must be an object`);
  }
}

export function optionalCursor(method: string, params: JsonObject): string | undefined {
  const cursor = params['cursor'];
  if (cursor !== undefined && typeof cursor !== 'string') throw invalid(method, 'params.cursor must be a string');
  return cursor;
}

function invalid(method: string, what: string): VmcpError {
  return new VmcpError(ErrorCodes.INVALID_PARAMS, `Invalid params for ${method}: ${what}`, { method });
}

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

/** logging/setLevel's level: one of the RFC 5424 names the spec lists. */
export function requireLogLevel(method: string, params: JsonObject): string {
  const level = params['level'];
  if (typeof level !== 'string' || !LOG_LEVELS.has(level)) {
    throw invalid(method, `params.level must be one of ${[...LOG_LEVELS].join(', ')} (got ${JSON.stringify(level)?.slice(0, 40)})`);
  }
  return level;
}
