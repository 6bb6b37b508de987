// The 2025-era leg: one sessionful Streamable HTTP transport + one Server per client session
// (the v2 SDK's stateless legacy mode would lose sampling, elicitation and logging: sdk-v2.md).
// Session-id rules: missing id on a non-initialize request → 400; unknown or expired id → 404.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Server } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/types.js';
import { channels, publish, type SessionEvent } from '../observability/channels.js';
import type { GatewayCore } from './core.js';
import { createMcpServer, type SessionState } from './mcp-server.js';
import { sendJsonRpcError } from './responses.js';
import type { SessionStore } from './sessions.js';
import type { ListKind } from '../backends/connector.js';

interface LiveSession {
  transport: NodeStreamableHTTPServerTransport;
  server: Server;
  state: SessionState;
}

export class LegacyEndpoint {
  #live = new Map<string, LiveSession>();
  #core: GatewayCore;
  #store: SessionStore;

  constructor(core: GatewayCore, store: SessionStore) {
    this.#core = core;
    this.#store = store;
    store.onExpire((id) => void this.expire(id));
  }

  get size(): number {
    return this.#live.size;
  }

  /** `principal`: who sent this request (incoming auth); a new session keeps the one that created it. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal?: Principal): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid !== 'string' || sid === '') {
      if (req.method === 'POST' && isInitialize(body)) return this.#create(req, res, body, principal);
      return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required; start a session with initialize');
    }
    const live = this.#live.get(sid);
    if (!live || !(await this.#store.touch(sid))) {
      if (live) await this.expire(sid);
      return sendJsonRpcError(res, 404, -32001, `Session not found: ${sid} (expired or closed; initialize a new session)`);
    }
    // A session belongs to the identity that created it: another caller holding the id gets
    // nothing of it (and never that user's backend sessions or credentials).
    if (!sameIdentity(live.state.principal, principal)) {
      return sendJsonRpcError(res, 403, -32000, 'Forbidden: this session belongs to another identity; initialize your own session');
    }
    if (principal) live.state.principal = principal; // the caller's latest token
    await live.transport.handleRequest(req, res, body);
  }

  async #create(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal | undefined): Promise<void> {
    const id = randomUUID();
    const state: SessionState = { sessionId: id, subscriptions: new Set(), ...(principal ? { principal } : {}) };
    const server = createMcpServer(this.#core, state);
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessioninitialized: async () => {
        this.#live.set(id, { transport, server, state });
        const now = Date.now();
        await this.#store.create({ id, era: 'legacy', createdAt: now, lastSeenAt: now });
        publish<SessionEvent>(channels.session, { sessionId: id, event: 'created', era: 'legacy' });
      },
      onsessionclosed: () => void this.#forget(id),
    });
    transport.onclose = () => void this.#forget(id);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (!this.#live.has(id)) await server.close().catch(() => undefined); // initialize was refused
  }

  /** Tell every session that a list changed (their next list call sees the new catalog). */
  listChanged(kinds: readonly ListKind[]): void {
    for (const { server } of this.#live.values()) {
      for (const kind of kinds) {
        const send =
          kind === 'tools'
            ? server.sendToolListChanged()
            : kind === 'prompts'
              ? server.sendPromptListChanged()
              : server.sendResourceListChanged();
        send.catch(() => undefined);
      }
    }
  }

  /** notifications/resources/updated goes only to sessions subscribed to that URI. */
  resourceUpdated(uri: string, params: Record<string, unknown>): void {
    for (const { server, state } of this.#live.values()) {
      if (state.subscriptions.has(uri)) server.sendResourceUpdated(params as never).catch(() => undefined);
    }
  }

  async expire(id: string): Promise<void> {
    const live = this.#live.get(id);
    await this.#forget(id, 'expired');
    await live?.transport.close().catch(() => undefined);
  }

  async #forget(id: string, event: 'closed' | 'expired' = 'closed'): Promise<void> {
    const live = this.#live.get(id);
    if (!live) return;
    this.#live.delete(id);
    this.#core.onSessionClosed(id);
    await this.#store.delete(id);
    publish<SessionEvent>(channels.session, { sessionId: id, event, era: 'legacy' });
    await live.server.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const all = [...this.#live.keys()];
    await Promise.all(
      all.map(async (id) => {
        const live = this.#live.get(id);
        await this.#forget(id);
        await live?.transport.close().catch(() => undefined);
      }),
    );
  }
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize');
}

function sameIdentity(a: Principal | undefined, b: Principal | undefined): boolean {
  return (
    (a?.kind ?? 'anonymous') === (b?.kind ?? 'anonymous') &&
    (a?.issuer ?? '') === (b?.issuer ?? '') &&
    (a?.subject ?? 'anonymous') === (b?.subject ?? 'anonymous')
  );
}
