// Streamable HTTP backends (MCP 2025-03-26+). Configured headers go on every request; they may
// carry credentials, so they are never logged.
import { StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { HttpBackendConfig } from '../config/types.js';

/** `fetch` may add outgoing-auth headers per request (backends/auth-fetch.ts). */
export function createStreamableHttpTransport(config: HttpBackendConfig, fetch?: typeof globalThis.fetch): Transport {
  return new StreamableHTTPClientTransport(new URL(config.url), {
    requestInit: { headers: { ...config.headers } },
    ...(fetch ? { fetch } : {}),
  });
}
