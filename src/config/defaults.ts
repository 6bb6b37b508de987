// The one table of defaults (house rule 4). normalize.ts fills every unset key from here, the docs
// quote these values, and nothing else in the gateway hard-codes them.

export const DEFAULTS = Object.freeze({
  /** Loopback only: a gateway that can spawn processes must not be reachable from the network by accident. */
  host: '127.0.0.1',
  port: 4483,
  /** 4 MiB: large enough for big tool arguments, small enough to bound memory per request. */
  maxRequestBodyBytes: 4 * 1024 * 1024,
  sessionTtl: '30m',
  shutdownGracePeriod: '10s',
  /**
   * Page size of a 2026-07-28 client's lists when `server.pageSize` is unset (ToolHive's modern
   * page size). A 2025-era client then gets each list whole, in one page: clients that never follow
   * nextCursor still see every tool, and no page costs another round trip.
   */
  modernPageSize: 1000,
  connectTimeout: '30s',
  /** ToolHive's default is 30s, but it never wires it; 60s leaves room for slow tools (reset on progress). */
  requestTimeout: '60s',
  conflictResolution: 'prefix',
  prefixFormat: '{workload}_',
  /** The limit Claude and most clients enforce on tool names (`^[a-zA-Z0-9_-]{1,64}$`). */
  maxToolNameLength: 64,
  logLevel: 'info',
  /** The 2025-era initialize handshake is what nearly every server speaks today. */
  protocolVersion: 'legacy',
  // Health (ToolHive's defaults: pkg/vmcp/config/defaults.go, pkg/vmcp/health).
  healthCheckInterval: '30s',
  healthCheckTimeout: '10s',
  unhealthyThreshold: 3,
  degradedThreshold: '5s',
  statusReportingInterval: '30s',
  /** Off by default, as in ToolHive; the demo config turns it on. */
  circuitBreakerEnabled: false,
  circuitBreakerFailureThreshold: 5,
  circuitBreakerTimeout: '60s',
  // Identity (issue 6).
  /** As in ToolHive; safe only because anonymous on a non-loopback host is a config error. */
  incomingAuthType: 'anonymous',
  defaultToolVisibility: 'allow',
  /** Tolerates ordinary clock drift between the gateway and the IdP without accepting stale tokens. */
  clockSkew: '30s',
  outgoingAuthType: 'unauthenticated',
  tokenPassthroughHeader: 'Authorization',
  /** ToolHive's default subjectTokenType. */
  subjectTokenType: 'access_token',
  entitiesJson: '[]',
  // Bounds (house rule 9): what one client or one backend can make the gateway hold.
  /** ~5 KiB per idle session: 10000 sessions fit in ~50 MB of heap. */
  maxSessions: 10_000,
  maxSessionsPerPrincipal: 1000,
  /** A real client sends notifications/initialized right after initialize. */
  sessionInitTimeout: '10s',
  /** Far deeper than any real tool argument, far shallower than what overflows a JSON serializer. */
  maxJsonDepth: 64,
  maxConnections: 1024,
  headersTimeout: '10s',
  keepAliveTimeout: '5s',
  /** 16 MiB: generous for documents and images, small enough that a few at once cannot exhaust memory. */
  maxResultBytes: 16 * 1024 * 1024,
  stderrLinesPerSecond: 100,
  notificationsPerSecond: 100,
  exclusiveWait: '5s',
  // Tool search (ToolHive's optimizer defaults: pkg/vmcp/optimizer/internal/toolstore, similarity).
  maxToolsToReturn: 8,
  embeddingProvider: 'tei',
  embeddingServiceTimeout: '30s',
  hybridSearchSemanticRatio: 0.5,
  /** Cosine distance: 0 identical, 1 unrelated (orthogonal), 2 opposite. */
  semanticDistanceThreshold: 1.0,
} as const);

export type Defaults = typeof DEFAULTS;
