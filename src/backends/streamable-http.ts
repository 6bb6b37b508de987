// Streamable HTTP backends (MCP 2025-03-26+), on vmcp's own transport (http-transport.ts).
// Configured headers go on every request; they may carry credentials, so they are never logged.
import type { HttpBackendConfig } from '../config/types.js';
import type { HeaderSource } from './auth-fetch.js';
import { HttpBackendTransport } from './http-transport.js';

/** `authHeaders` adds outgoing-auth headers, asked fresh for every request. */
export function createStreamableHttpTransport(config: HttpBackendConfig, authHeaders?: HeaderSource): HttpBackendTransport {
  return new HttpBackendTransport({
    url: new URL(config.url),
    backend: config.name,
    headers: config.headers,
    maxResultBytes: config.limits.maxResultBytes,
    ...(authHeaders ? { authHeaders } : {}),
  });
}
