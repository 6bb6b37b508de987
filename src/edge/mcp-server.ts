// One low-level MCP Server per client session (2025 era and stdio) or per request (2026-07-28),
// whose requests all go through the gateway's handler table. The SDK answers initialize and ping
// itself; everything else reaches fallbackRequestHandler, so results are never re-validated or
// reshaped by the SDK on the way back (results pass through unchanged; on a 2026-07-28 instance
// that includes `input_required` results of tools/call, prompts/get and resources/read, which the
// SDK's encoder lets through for exactly those methods).
import { randomUUID } from 'node:crypto';
import { ProtocolError, Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Principal } from '../auth/types.js';
import type { CallSink, JsonObject, RpcNotification, RpcRequest } from '../backends/connector.js';
import { toJsonRpcError, JsonRpcCodes } from '../errors/to-jsonrpc.js';
import { paramsOf, type Handler, type InputRetry, type RequestContext } from '../routing/dispatch.js';
import type { GatewayCore } from './core.js';
import type { InputBridge } from './input-bridge.js';

const AnyResult = z.looseObject({});

/** Which client capability a relayed backend→client request needs. */
const REQUIRED_CAPABILITY: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/** The methods whose 2026-07-28 results may be input_required (the only way to ask a client for input). */
const INPUT_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

export interface SessionState {
  readonly sessionId: string;
  readonly subscriptions: Set<string>;
  /** Who the session belongs to (2025 era; refreshed with the same identity's newer token) or who sent the request (2026-07-28). */
  principal?: Principal;
}

/** A 2025-era session, or one 2026-07-28 request (whose 2025-era backends' requests go through the bridge). */
export type ServeMode = { readonly era: 'legacy' } | { readonly era: '2026-07-28'; readonly bridge: InputBridge };

/** One client request's notification channel; flush() waits until all of it is on the wire. */
interface Channel {
  notify(notification: RpcNotification): Promise<void>;
  flush(): Promise<void>;
}

type BaseContext = Omit<RequestContext, 'signal' | 'sink'>;

export function createMcpServer(core: GatewayCore, session: SessionState, mode: ServeMode = { era: 'legacy' }): Server {
  const capabilities = core.capabilities();
  const server = new Server(core.serverInfo, { capabilities, instructions: core.instructions() });
  const dispatch = async (req: { method: string; params?: unknown }, ctx: ServerContext): Promise<JsonObject> => {
    const handler = core.handlers.get(req.method);
    if (!handler) throw new ProtocolError(JsonRpcCodes.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
    const channel = channelOf(ctx);
    const base: BaseContext = {
      sessionId: session.sessionId,
      subscriptions: session.subscriptions,
      era: mode.era,
      principal: session.principal,
    };
    try {
      const params = paramsOf(req.method, req.params);
      if (mode.era === '2026-07-28' && INPUT_METHODS.has(req.method)) {
        return await serveRounds(mode.bridge, { server, handler, method: req.method, params, base, ctx, channel });
      }
      return await handler(params, { ...base, signal: ctx.mcpReq.signal, sink: directSink(server, base, ctx, channel) });
    } catch (err) {
      throw toJsonRpcError(err);
    } finally {
      // Progress and log notifications relayed during the call must be on the wire before the
      // response, or the client may never see them (the response ends the request's stream).
      await channel.flush();
    }
  };
  server.fallbackRequestHandler = (req, ctx) => dispatch(req, ctx) as never;
  server.fallbackNotificationHandler = async (n) =>
    core.onClientNotification(session.sessionId, n as { method: string; params?: JsonObject });
  // The SDK installs its own logging/setLevel when logging is advertised; the gateway must
  // forward it to the backends instead (conformance gotcha 13).
  if (capabilities['logging'])
    server.setRequestHandler('logging/setLevel', ((req: RpcRequest, ctx: ServerContext) => dispatch(req, ctx)) as never);
  return server;
}

interface Round {
  server: Server;
  handler: Handler;
  method: string;
  params: JsonObject;
  base: BaseContext;
  ctx: ServerContext;
  channel: Channel;
}

/**
 * A 2026-07-28 request that may span rounds. A requestState the bridge issued continues a parked
 * call (a 2025-era backend asked for input); any other one, with the inputResponses, goes back to
 * the backend, which is 2026-07-28 and issued it (routing/dispatch.ts).
 */
async function serveRounds(bridge: InputBridge, r: Round): Promise<JsonObject> {
  const { ctx, params, base } = r;
  const state: unknown = ctx.mcpReq.requestState();
  const inputResponses = ctx.mcpReq.inputResponses as JsonObject | undefined;
  const id = { method: r.method, target: String(params['name'] ?? params['uri'] ?? ''), principal: base.principal };
  const exchange = { signal: ctx.mcpReq.signal, progressToken: ctx.mcpReq._meta?.progressToken, notify: r.channel.notify };
  if (bridge.owns(state)) return bridge.resume(state, id, inputResponses, exchange);
  const retry: InputRetry | undefined =
    state === undefined && inputResponses === undefined
      ? undefined
      : { ...(inputResponses ? { inputResponses } : {}), ...(typeof state === 'string' ? { requestState: state } : {}) };
  return bridge.start(id, exchange, (call) =>
    r.handler(params, {
      ...base,
      ...(retry ? { retry } : {}),
      signal: call.signal,
      sink: {
        sessionId: base.sessionId,
        request: async (req, signal) => {
          assertDeclared(r.server, req.method);
          return call.ask(req, signal);
        },
        notify: (n) => call.notify(n),
      },
    }),
  );
}

/** Mid-call traffic straight to the client: on a 2025-era session, its requests on this request's stream. */
function directSink(server: Server, base: BaseContext, ctx: ServerContext, channel: Channel): CallSink {
  return {
    sessionId: base.sessionId,
    request: async (req, signal) => {
      if (base.era !== 'legacy') {
        throw new ProtocolError(
          JsonRpcCodes.METHOD_NOT_FOUND,
          `vmcp: a 2026-07-28 client can be asked for input only during tools/call, prompts/get or resources/read, so ${req.method} cannot reach it during ${ctx.mcpReq.method}`,
        );
      }
      assertDeclared(server, req.method);
      return (await ctx.mcpReq.send(toLegacyWire(req) as never, AnyResult, { signal })) as JsonObject;
    },
    notify: channel.notify,
  };
}

/**
 * A 2026-07-28 backend's URL-mode elicitation has no elicitationId (its own requestState correlates
 * it); the 2025-era wire requires one, so mint it as the SDK's legacy shim does.
 */
function toLegacyWire(req: RpcRequest): RpcRequest {
  const params = req.params;
  if (req.method !== 'elicitation/create' || params?.['mode'] !== 'url' || params['elicitationId'] !== undefined) return req;
  return { method: req.method, params: { ...params, elicitationId: randomUUID() } };
}

/** Refuse a relayed request the client cannot serve (it did not declare the capability). */
function assertDeclared(server: Server, method: string): void {
  const needed = REQUIRED_CAPABILITY[method];
  const declared = server.getClientCapabilities() as JsonObject | undefined;
  if (needed && !declared?.[needed]) {
    throw new ProtocolError(
      JsonRpcCodes.METHOD_NOT_FOUND,
      `vmcp: the client did not declare the "${needed}" capability, so ${method} cannot be relayed to it`,
    );
  }
}

function channelOf(ctx: ServerContext): Channel {
  const pending = new Set<Promise<void>>();
  return {
    notify: (n) => {
      const sent = ctx.mcpReq.notify(n as never).catch(() => undefined);
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
      return sent;
    },
    flush: async () => {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
