// The SDK adapter of the 2026-07-28 leg (and stdio): one low-level MCP Server per request (or per
// stdio session) whose requests all go to the gateway's dispatcher. The SDK answers initialize,
// ping and server/discover; everything else reaches fallbackRequestHandler, so results are never
// re-validated or reshaped on the way back (on a 2026-07-28 instance that includes
// `input_required` results of tools/call, prompts/get and resources/read, which the SDK's encoder
// lets through for exactly those methods). This file owns every cast at that seam.
import { ProtocolError, Server, type ServerContext } from '@modelcontextprotocol/server';
import { ANONYMOUS, type Principal } from '../auth/types.js';
import { toWireError } from '../errors/to-wire.js';
import {
  JsonRpcCodes,
  META_CLIENT_CAPABILITIES,
  META_LOG_LEVEL,
  isObject,
  type ClientEra,
  type JsonObject,
  type RpcNotification,
  type RpcRequest,
} from '../protocol/index.js';
import type { RequestContext, SessionInfo } from '../routing/context.js';
import { paramsOf } from '../routing/params.js';
import { progressTokenOf } from '../routing/progress.js';
import type { GatewayCore } from './core.js';
import type { Rounds } from './input-bridge.js';
import { bridgedRound, INPUT_METHODS } from './rounds.js';
import { traceContextOf } from './trace-headers.js';
import { clientSink, type Channel } from './sinks.js';

export interface SessionState {
  readonly sessionId: string;
  readonly subscriptions: Set<string>;
  /** Who the session belongs to (stdio) or who sent the request (2026-07-28). */
  principal?: Principal;
  /** 2026-07-28: the address the request came from. */
  remoteAddress?: string;
  logLevel?: string;
}

/** A stdio session, or one 2026-07-28 request (whose 2025-era backends' requests go through the bridge). */
export type ServeMode = { readonly era: 'legacy' } | { readonly era: '2026-07-28'; readonly bridge: Rounds };

export function createMcpServer(core: GatewayCore, session: SessionState, mode: ServeMode = { era: 'legacy' }): Server {
  const capabilities = core.capabilities();
  const server = new Server(core.serverInfo, { capabilities, instructions: core.instructions() });
  const dispatch = async (req: { method: string; params?: unknown }, sctx: ServerContext): Promise<JsonObject> => {
    if (!core.dispatcher.has(req.method)) throw new ProtocolError(JsonRpcCodes.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
    const channel = channelOf(sctx);
    try {
      const params = paramsOf(req.method, req.params);
      const info = sessionInfo(session, mode.era, server, sctx);
      const ctx = contextOf(info, session, params, sctx, channel, server);
      if (mode.era === '2026-07-28' && INPUT_METHODS.has(req.method)) {
        return await bridgedRound(mode.bridge, core.dispatcher, req.method, params, ctx, sctx);
      }
      return await core.dispatcher.handle(req.method, params, ctx);
    } catch (err) {
      const wire = toWireError(err);
      throw new ProtocolError(wire.code, wire.message, wire.data);
    } finally {
      // Progress and log notifications relayed during the call must be on the wire before the
      // response, or the client may never see them (the response ends the request's stream).
      await channel.flush();
    }
  };
  server.fallbackRequestHandler = (req, ctx) => dispatch(req, ctx) as never;
  server.fallbackNotificationHandler = async (n) => core.onClientNotification(session.sessionId, n as RpcNotification);
  // The SDK installs its own logging/setLevel when logging is advertised; the gateway must
  // forward it to the backends instead.
  if (capabilities['logging'])
    server.setRequestHandler('logging/setLevel', ((req: RpcRequest, ctx: ServerContext) => dispatch(req, ctx)) as never);
  return server;
}

function sessionInfo(session: SessionState, era: ClientEra, server: Server, sctx: ServerContext): SessionInfo {
  if (era === 'legacy') {
    const caps = (server.getClientCapabilities() ?? {}) as JsonObject;
    const info = server.getClientVersion();
    const base: SessionInfo = { id: session.sessionId, era, clientCapabilities: caps, subscriptions: session.subscriptions };
    return Object.assign(
      base,
      info ? { clientInfo: { name: info.name, version: info.version } } : {},
      session.logLevel ? { logLevel: session.logLevel } : {},
    );
  }
  const envelope = ((sctx.mcpReq as { envelope?: JsonObject }).envelope ?? {}) as JsonObject;
  const caps = envelope[META_CLIENT_CAPABILITIES];
  const level = envelope[META_LOG_LEVEL];
  return {
    id: session.sessionId,
    era,
    clientCapabilities: isObject(caps) ? caps : {},
    subscriptions: session.subscriptions,
    ...(typeof level === 'string' ? { logLevel: level } : {}),
  };
}

function contextOf(
  info: SessionInfo,
  { principal, remoteAddress: remote }: SessionState,
  params: JsonObject,
  sctx: ServerContext,
  channel: Channel,
  server: Server,
): RequestContext {
  const token = progressTokenOf(params);
  return {
    session: info,
    principal: principal ?? ANONYMOUS,
    ...(remote === undefined ? {} : { remoteAddress: remote }),
    signal: sctx.mcpReq.signal,
    mcpParams: mcpParamsOf(sctx),
    ...traceContextFromServer(sctx),
    requestId: sctx.mcpReq.id as string | number,
    sink: clientSink({
      info,
      method: sctx.mcpReq.method,
      channel,
      progressToken: token,
      send: (req, signal) => sctx.mcpReq.send(req as never, undefined as never, { signal }) as Promise<JsonObject>,
      declared: () => (server.getClientCapabilities() ?? info.clientCapabilities) as JsonObject,
    }),
  };
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

/** The request's W3C trace context headers (2026-07-28 leg: the SDK hands the HTTP request's Headers). */
function traceContextFromServer(sctx: ServerContext): Pick<RequestContext, 'traceContext'> {
  const headers = (sctx as { http?: { req?: { headers?: Headers } } }).http?.req?.headers;
  return headers ? traceContextOf((name) => headers.get(name)) : {};
}

/** The request's `mcp-param-*` headers (2026-07-28 custom headers), lower-case names. */
function mcpParamsOf(sctx: ServerContext): Record<string, string> {
  const headers = (sctx as { http?: { req?: { headers?: Headers } } }).http?.req?.headers;
  const out: Record<string, string> = {};
  headers?.forEach((value, name) => {
    if (name.toLowerCase().startsWith('mcp-param-')) out[name.toLowerCase()] = value;
  });
  return out;
}
