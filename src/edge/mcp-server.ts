// One low-level MCP Server per client session (2025 era and stdio) or per request (2026-07-28),
// whose requests all go through the gateway's handler table. The SDK answers initialize and ping
// itself; everything else reaches fallbackRequestHandler, so results are never re-validated or
// reshaped by the SDK on the way back (results pass through unchanged).
import { ProtocolError, Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CallSink, JsonObject, RpcRequest } from '../backends/connector.js';
import { toJsonRpcError, JsonRpcCodes } from '../errors/to-jsonrpc.js';
import { paramsOf, type RequestContext } from '../routing/dispatch.js';
import type { GatewayCore } from './core.js';

const AnyResult = z.looseObject({});

/** Which client capability a relayed backend→client request needs. */
const REQUIRED_CAPABILITY: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export interface SessionState {
  readonly sessionId: string;
  readonly subscriptions: Set<string>;
}

export function createMcpServer(core: GatewayCore, session: SessionState): Server {
  const capabilities = core.capabilities();
  const server = new Server(core.serverInfo, { capabilities, instructions: core.instructions() });
  const dispatch = async (req: { method: string; params?: unknown }, ctx: ServerContext): Promise<JsonObject> => {
    const handler = core.handlers.get(req.method);
    if (!handler) throw new ProtocolError(JsonRpcCodes.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
    const context = requestContext(server, session, ctx);
    try {
      return await handler(paramsOf(req.method, req.params), context);
    } catch (err) {
      throw toJsonRpcError(err);
    } finally {
      // Progress and log notifications relayed during the call must be on the wire before the
      // response, or the client may never see them (the response ends the request's stream).
      await context.flush();
    }
  };
  server.fallbackRequestHandler = (req, ctx) => dispatch(req, ctx) as never;
  server.fallbackNotificationHandler = async (n) => core.onClientNotification(session.sessionId, n as { method: string; params?: JsonObject });
  // The SDK installs its own logging/setLevel when logging is advertised; the gateway must
  // forward it to the backends instead (conformance gotcha 13).
  if (capabilities['logging']) server.setRequestHandler('logging/setLevel', ((req: RpcRequest, ctx: ServerContext) => dispatch(req, ctx)) as never);
  return server;
}

function requestContext(server: Server, session: SessionState, ctx: ServerContext): RequestContext & { flush(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const sink: CallSink = {
    sessionId: session.sessionId,
    request: async (req, signal) => {
      const needed = REQUIRED_CAPABILITY[req.method];
      const declared = server.getClientCapabilities() as JsonObject | undefined;
      if (needed && !declared?.[needed]) {
        throw new ProtocolError(JsonRpcCodes.METHOD_NOT_FOUND, `vmcp: the client did not declare the "${needed}" capability, so ${req.method} cannot be relayed to it`);
      }
      return (await ctx.mcpReq.send(req as never, AnyResult, { signal })) as JsonObject;
    },
    notify: (n) => {
      const sent = ctx.mcpReq.notify(n as never).catch(() => undefined);
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
      return sent;
    },
  };
  const flush = async () => {
    while (pending.size > 0) await Promise.all(pending);
  };
  return { sessionId: session.sessionId, signal: ctx.mcpReq.signal, sink, subscriptions: session.subscriptions, flush };
}
