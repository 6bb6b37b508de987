// Legacy HTTP+SSE backends (MCP 2024-11-05): GET an event stream, POST to the endpoint it names.
import { SSEClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { HttpBackendConfig } from '../config/types.js';

/** `base` may add outgoing-auth headers per request (backends/auth-fetch.ts). */
export function createSseTransport(config: HttpBackendConfig, base: typeof fetch = fetch): Transport {
  const headers = { ...config.headers };
  return new SSEClientTransport(new URL(config.url), {
    requestInit: { headers },
    fetch: base,
    // The EventSource GET needs the same headers as the POSTs (e.g. Authorization).
    eventSourceInit: {
      fetch: (url, init) => base(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    },
  });
}
