// The 2026-07-28 leg: stateless per-request serving through the v2 SDK's createMcpHandler, with
// 2025-era traffic rejected here (it goes to the sessionful legacy leg instead).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { ListKind } from '../backends/connector.js';
import type { GatewayCore } from './core.js';
import { createMcpServer } from './mcp-server.js';

export class ModernEndpoint {
  #handler: McpHttpHandler;
  #node: (req: IncomingMessage, res: ServerResponse, body?: unknown) => Promise<void>;

  constructor(core: GatewayCore, maxRequestBodySize: number) {
    this.#handler = createMcpHandler(
      () => createMcpServer(core, { sessionId: `modern-${randomUUID()}`, subscriptions: new Set() }),
      { legacy: 'reject', maxRequestBodySize },
    );
    this.#node = toNodeHandler(this.#handler) as never;
  }

  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    return this.#node(req, res, body);
  }

  listChanged(kinds: readonly ListKind[]): void {
    for (const kind of kinds) {
      if (kind === 'tools') this.#handler.notify.toolsChanged();
      else if (kind === 'prompts') this.#handler.notify.promptsChanged();
      else this.#handler.notify.resourcesChanged();
    }
  }

  resourceUpdated(uri: string): void {
    this.#handler.notify.resourceUpdated(uri);
  }

  close(): Promise<void> {
    return this.#handler.close();
  }
}
