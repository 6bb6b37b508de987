// Legacy HTTP+SSE backends (MCP 2024-11-05): GET an event stream, POST to the endpoint it names.
import { SSEClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { HttpBackendConfig } from '../config/types.js';

/** `base` may add outgoing-auth headers per request (backends/auth-fetch.ts). */
export function createSseTransport(config: HttpBackendConfig, base: typeof fetch = fetch): Transport {
  const headers = { ...config.headers };
  return new SSEClientTransport(new URL(config.url), {
    requestInit: { headers },
    fetch: ownSignalPerPost(base),
    // The EventSource GET needs the same headers as the POSTs (e.g. Authorization).
    eventSourceInit: {
      fetch: (url, init) => base(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    },
  });
}

/**
 * The SDK's SSE transport passes its one long-lived signal with every POST, and fetch keeps an
 * abort listener on that signal per request until garbage collection: past 1,500 calls to one
 * backend Node warns (MaxListenersExceededWarning) on almost every call, and each request scans
 * the list. Each POST gets a signal of its own instead; the long-lived signal carries one listener,
 * which aborts the POSTs still waiting for their responses.
 */
export function ownSignalPerPost(base: typeof fetch): typeof fetch {
  const waiting = new WeakMap<AbortSignal, Set<AbortController>>();
  const waitingOn = (shared: AbortSignal): Set<AbortController> => {
    let set = waiting.get(shared);
    if (!set) {
      const posts = new Set<AbortController>();
      shared.addEventListener('abort', () => posts.forEach((c) => c.abort(shared.reason)), { once: true });
      waiting.set(shared, (set = posts));
    }
    return set;
  };
  return ((input: string | URL | Request, init?: RequestInit) => {
    const shared = init?.signal;
    if (!shared || shared.aborted || init?.method !== 'POST') return base(input, init);
    const posts = waitingOn(shared);
    const own = new AbortController();
    posts.add(own);
    return base(input, { ...init, signal: own.signal }).finally(() => posts.delete(own));
  }) as typeof fetch;
}
