// The 2026-07-28 leg: stateless per-request serving through the v2 SDK's createMcpHandler, with
// 2025-era traffic rejected here (it goes to the sessionful legacy leg instead).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler, type AuthInfo, type McpHttpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { ANONYMOUS, type Principal } from '../auth/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { isObject } from '../protocol/index.js';
import type { ListKind } from './events.js';
import { sendError } from './responses.js';
import type { GatewayCore } from './core.js';
import { InputBridge, type InputBridgeOptions } from './input-bridge.js';
import { InputRelay } from './input-relay.js';
import { LocalBus, type ReplicaBus } from '../state/replica-bus.js';
import { createMcpServer } from './mcp-server.js';

/** How the principal rides through the SDK to the per-request factory: `req.auth` → `authInfo`. */
type AuthedRequest = IncomingMessage & { auth?: AuthInfo };

/** Methods of this revision the SDK answers itself. */
const SDK_METHODS = new Set(['server/discover', 'subscriptions/listen', 'ping']);

export class ModernEndpoint {
  #core: GatewayCore;
  #handler: McpHttpHandler;
  #node: (req: IncomingMessage, res: ServerResponse, body?: unknown) => Promise<void>;
  #bridge: InputBridge;
  #relay: InputRelay | undefined;

  /** With a shared `bus`, a retry for a call parked on another replica is relayed there (input-relay.ts). */
  constructor(core: GatewayCore, maxRequestBodySize: number, bridge: InputBridgeOptions = {}, bus: ReplicaBus = new LocalBus()) {
    this.#core = core;
    this.#bridge = new InputBridge({ ...bridge, ...(bus.shared ? { replicaId: bus.replicaId } : {}) });
    this.#relay = bus.shared ? new InputRelay(this.#bridge, bus) : undefined;
    const mode = { era: '2026-07-28', bridge: this.#relay ?? this.#bridge } as const;
    this.#handler = createMcpHandler(
      ({ authInfo }) =>
        createMcpServer(
          core,
          {
            sessionId: affinityOf(principalOf(authInfo)),
            subscriptions: new Set(),
            principal: principalOf(authInfo),
            ...remoteOf(authInfo),
          },
          mode,
        ),
      { legacy: 'reject', maxRequestBodySize },
    );
    this.#node = toNodeHandler(this.#handler) as never;
  }

  /** `principal`: who sent this request, as established by incoming auth (undefined: none yet). */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal?: Principal): Promise<void> {
    // SEP-2575: a method the server does not serve is HTTP 404 on this revision, not an in-band -32601.
    if (isObject(body) && typeof body['method'] === 'string' && body['id'] !== undefined && !this.#serves(body['method'])) {
      return sendError(
        res,
        new VmcpError(ErrorCodes.METHOD_NOT_FOUND, `Method not found: ${body['method'].slice(0, 100)}`),
        {},
        body['id'] as string | number,
      );
    }
    if (isObject(body) && body['method'] === 'tools/call' && isObject(body['params'])) {
      const refused = await this.#checkHeaders(req, body['params'], principal).catch((err: unknown) => err);
      if (refused) return sendError(res, refused, {}, (body['id'] as string | number | undefined) ?? null);
    }
    if (principal) (req as AuthedRequest).auth = authInfoOf(principal, req.socket.remoteAddress);
    return this.#node(req, res, body);
  }

  /** SEP-2243: headers that disagree with the body are refused before serving (HTTP 400, -32020). */
  async #checkHeaders(req: IncomingMessage, params: Record<string, unknown>, principal: Principal | undefined): Promise<undefined> {
    const mcpParams: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (name.startsWith('mcp-param-') && typeof value === 'string') mcpParams[name] = value;
    const session = { id: affinityOf(principal), era: '2026-07-28' as const, clientCapabilities: {}, subscriptions: new Set<string>() };
    const sink = { sessionId: session.id, request: () => Promise.reject(new Error('no input here')), notify: () => Promise.resolve() };
    await this.#core.dispatcher.checkHeaders(params, {
      session,
      principal: principal ?? ANONYMOUS,
      signal: new AbortController().signal,
      sink,
      mcpParams,
    });
    return undefined;
  }

  #serves(method: string): boolean {
    return this.#core.dispatcher.has(method) || SDK_METHODS.has(method);
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
    this.#relay?.close();
    this.#bridge.close();
    return this.#handler.close();
  }
}

/** The SDK's AuthInfo carries the principal in `extra` (the raw token stays out of it). */
function authInfoOf(principal: Principal, remoteAddress: string | undefined): AuthInfo {
  return {
    token: '',
    clientId: principal.subject,
    scopes: [...principal.scopes],
    ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}),
    extra: { principal, ...(remoteAddress === undefined ? {} : { remoteAddress }) },
  };
}

function remoteOf(authInfo: AuthInfo | undefined): { remoteAddress?: string } {
  const remote = authInfo?.extra?.['remoteAddress'];
  return typeof remote === 'string' ? { remoteAddress: remote } : {};
}

/**
 * A 2026-07-28 request has no session. What stands in for one — the key the shared-backend
 * scheduler uses to keep mid-call traffic with its caller — is the principal: concurrent calls of
 * one principal may share attribution (the same person answers either way), calls of different
 * principals never do.
 */
function affinityOf(principal: Principal | undefined): string {
  return principal ? `modern:${principal.kind}:${principal.issuer ?? ''}:${principal.subject}` : 'modern:anonymous';
}

function principalOf(authInfo: AuthInfo | undefined): Principal | undefined {
  return authInfo?.extra?.['principal'] as Principal | undefined;
}
