// The only place concrete backend connectors are built (house rule 2). Outgoing auth decides the
// shape: stdio gets credentials as env vars; HTTP backends get them per request through a fetch
// wrapper; per-user strategies get a PerUserConnector (a shared connection for health probes with
// service credentials, if any, plus one connection per user carrying that user's credentials).
import type { Transport } from '@modelcontextprotocol/client';
import type { BackendConfig, HttpBackendConfig, RuntimeConfig } from '../config/types.js';
import { ClientConnector } from '../backends/client-connector.js';
import type { BackendConnector } from '../backends/connector.js';
import { authFetch, type HeaderSource } from '../backends/auth-fetch.js';
import { PerUserConnector } from '../backends/per-user-connector.js';
import { createSseTransport } from '../backends/sse.js';
import { createStdioTransport } from '../backends/stdio/transport.js';
import { createStreamableHttpTransport } from '../backends/streamable-http.js';
import { createOutgoingAuth, type OutgoingAuth } from '../auth/outgoing/strategies.js';
import { TokenCache } from '../auth/outgoing/token-cache.js';
import type { Principal } from '../auth/types.js';

export interface BuiltBackend {
  connector: BackendConnector;
  auth: OutgoingAuth;
  /** A fresh transport carrying probe credentials, for health handshakes (HTTP only). */
  probeTransport?: () => Transport;
}

/** One built backend per configured backend, keyed by name (never by position). */
export function createBackends(config: RuntimeConfig, clientInfo: { name: string; version: string }): ReadonlyMap<string, BuiltBackend> {
  const cache = new TokenCache();
  return new Map(config.backends.map((b) => [b.name, build(b)]));
  function build(b: BackendConfig): BuiltBackend {
    const auth = createOutgoingAuth(b.name, config.outgoingAuth[b.name] ?? { type: 'unauthenticated' }, cache);
    if (b.transport === 'stdio') {
      const withEnv = { ...b, env: { ...b.env, ...auth.env() } };
      return { auth, connector: connector(b, clientInfo, () => createStdioTransport(withEnv, b.limits)) };
    }
    const probe: HeaderSource = () => auth.probeHeaders();
    const probeTransport = () => httpTransport(b, probe);
    const passthrough = config.passthroughHeaders.length > 0;
    if (!auth.perUser) {
      const headers: HeaderSource = () => auth.headers(undefined);
      const shared = connector(b, clientInfo, () => httpTransport(b, headers));
      if (!passthrough) return { auth, probeTransport, connector: shared };
      const own = (current: () => Principal) => connector(b, clientInfo, () => httpTransport(b, withForwarded(b, current, headers)));
      return { auth, probeTransport, connector: new PerUserConnector({ shared, create: own, needsToken: false }) };
    }
    const shared = connector(b, clientInfo, probeTransport);
    const perUser = new PerUserConnector({
      shared,
      create: (current) =>
        connector(b, clientInfo, () =>
          httpTransport(
            b,
            withForwarded(b, current, () => auth.headers(current())),
          ),
        ),
    });
    return { auth, probeTransport, connector: perUser };
  }
}

/**
 * The caller's passed-through headers under the gateway's own: a name the backend's `headers`
 * or its outgoing auth also sets keeps the gateway's value.
 */
function withForwarded(b: HttpBackendConfig, current: () => Principal, auth: HeaderSource): HeaderSource {
  const fixed = new Set(Object.keys(b.headers).map((k) => k.toLowerCase()));
  return async () => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(current().forwarded ?? {})) if (!fixed.has(k)) out[k] = v;
    for (const [k, v] of Object.entries((await auth()) ?? {})) out[k.toLowerCase()] = v;
    return out;
  };
}

function connector(b: BackendConfig, clientInfo: { name: string; version: string }, createTransport: () => Transport): ClientConnector {
  return new ClientConnector({
    name: b.name,
    transport: b.transport,
    createTransport,
    connectTimeoutMs: b.connectTimeoutMs,
    requestTimeoutMs: b.requestTimeoutMs,
    protocolVersion: b.protocolVersion,
    clientInfo,
    limits: b.limits,
  });
}

function httpTransport(b: HttpBackendConfig, headers: HeaderSource): Transport {
  return b.transport === 'sse' ? createSseTransport(b, authFetch(headers)) : createStreamableHttpTransport(b, headers);
}
