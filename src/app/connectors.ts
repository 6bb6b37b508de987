// The only place concrete backend connectors are built (house rule 2).
import type { BackendConfig } from '../config/types.js';
import { ClientConnector } from '../backends/client-connector.js';
import type { BackendConnector } from '../backends/connector.js';
import { createSseTransport } from '../backends/sse.js';
import { createStdioTransport } from '../backends/stdio.js';
import { createStreamableHttpTransport } from '../backends/streamable-http.js';

export function createConnector(config: BackendConfig, clientInfo: { name: string; version: string }): BackendConnector {
  const createTransport = config.transport === 'stdio'
    ? () => createStdioTransport(config)
    : config.transport === 'sse' ? () => createSseTransport(config) : () => createStreamableHttpTransport(config);
  return new ClientConnector({
    name: config.name,
    transport: config.transport,
    createTransport,
    connectTimeoutMs: config.connectTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    protocolVersion: config.protocolVersion,
    clientInfo,
  });
}
