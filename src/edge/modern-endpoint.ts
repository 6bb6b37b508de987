// The 2026-07-28 leg: stateless per-request serving through the v2 SDK's createMcpHandler, with
// 2025-era traffic rejected here (it goes to the sessionful legacy leg instead).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler, type AuthInfo, type McpHttpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Principal } from '../auth/types.js';
import type { ListKind } from '../backends/connector.js';
import type { GatewayCore } from './core.js';
import { InputBridge, type InputBridgeOptions } from './input-bridge.js';
import { createMcpServer } from './mcp-server.js';

/** How the principal rides through the SDK to the per-request factory: `req.auth` → `authInfo`. */
type AuthedRequest = IncomingMessage & { auth?: AuthInfo };

export class ModernEndpoint {
  #handler: McpHttpHandler;
  #node: (req: IncomingMessage, res: ServerResponse, body?: unknown) => Promise<void>;
  #bridge: InputBridge;

  constructor(core: GatewayCore, maxRequestBodySize: number, bridge: InputBridgeOptions = {}) {
    this.#bridge = new InputBridge(bridge);
    const mode = { era: '2026-07-28', bridge: this.#bridge } as const;
    this.#handler = createMcpHandler(
      ({ authInfo }) =>
        createMcpServer(core, { sessionId: `modern-${randomUUID()}`, subscriptions: new Set(), principal: principalOf(authInfo) }, mode),
      { legacy: 'reject', maxRequestBodySize },
    );
    this.#node = toNodeHandler(this.#handler) as never;
  }

  /** `principal`: who sent this request, as established by incoming auth (undefined: none yet). */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal?: Principal): Promise<void> {
    if (principal) (req as AuthedRequest).auth = authInfoOf(principal);
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
    this.#bridge.close();
    return this.#handler.close();
  }
}

/** The SDK's AuthInfo carries the principal in `extra` (the raw token stays out of it). */
function authInfoOf(principal: Principal): AuthInfo {
  return {
    token: '',
    clientId: principal.subject,
    scopes: [...principal.scopes],
    ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}),
    extra: { principal },
  };
}

function principalOf(authInfo: AuthInfo | undefined): Principal | undefined {
  return authInfo?.extra?.['principal'] as Principal | undefined;
}
