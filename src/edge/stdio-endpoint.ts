// Serving one client over stdio (desktop clients launch `vmcp serve --stdio`): a single session
// whose protocol messages own stdout; logs go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Server } from '@modelcontextprotocol/server';
import type { GatewayCore } from './core.js';
import type { EdgeEvents } from './events.js';
import { createMcpServer, type SessionState } from './mcp-server.js';

export class StdioEndpoint {
  #server: Server;
  #state: SessionState = { sessionId: 'stdio', subscriptions: new Set() };
  #transport = new StdioServerTransport();
  #closed: Promise<void> | undefined;
  /** Resolves when the client closes stdin. */
  readonly done: Promise<void>;

  constructor(core: GatewayCore, events: EdgeEvents) {
    this.#server = createMcpServer(core, this.#state);
    this.done = new Promise((resolve) => (this.#server.onclose = resolve));
    events.on('listChanged', (kinds) => this.listChanged(kinds));
    events.on('resourceUpdated', (uri, params) => this.resourceUpdated(uri, params));
  }

  start(): Promise<void> {
    return this.#server.connect(this.#transport);
  }

  listChanged(kinds: readonly string[]): void {
    for (const kind of kinds) {
      const send =
        kind === 'tools'
          ? this.#server.sendToolListChanged()
          : kind === 'prompts'
            ? this.#server.sendPromptListChanged()
            : this.#server.sendResourceListChanged();
      send.catch(() => undefined);
    }
  }

  resourceUpdated(uri: string, params: Record<string, unknown>): void {
    if (this.#state.subscriptions.has(uri)) this.#server.sendResourceUpdated(params as never).catch(() => undefined);
  }

  close(): Promise<void> {
    this.#closed ??= this.#server.close().catch(() => undefined);
    return this.#closed;
  }
}
