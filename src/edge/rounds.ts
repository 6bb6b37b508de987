// A 2026-07-28 request that may span rounds (SEP-2322). A requestState the input bridge issued
// continues a parked call (a 2025-era backend asked for input); any other one, with the
// inputResponses, goes back to the backend, which is 2026-07-28 and issued it (routing/send.ts).
import type { ServerContext } from '@modelcontextprotocol/server';
import type { JsonObject, RpcNotification } from '../protocol/index.js';
import type { InputRetry, RequestContext } from '../routing/context.js';
import type { MethodDispatcher } from './core.js';
import type { Rounds } from './input-bridge.js';
import { assertDeclared, missingCapability } from './sinks.js';

/** The methods whose 2026-07-28 results may be input_required (the only way to ask a client for input). */
export const INPUT_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

export function bridgedRound(
  bridge: Rounds,
  dispatcher: MethodDispatcher,
  method: string,
  params: JsonObject,
  ctx: RequestContext,
  sctx: ServerContext,
): Promise<JsonObject> {
  const state: unknown = sctx.mcpReq.requestState();
  const inputResponses = sctx.mcpReq.inputResponses as JsonObject | undefined;
  const id = { method, target: String(params['name'] ?? params['uri'] ?? ''), principal: ctx.principal };
  const exchange = {
    signal: sctx.mcpReq.signal,
    progressToken: sctx.mcpReq._meta?.progressToken,
    notify: (n: RpcNotification) => ctx.sink.notify(n),
  };
  if (bridge.owns(state)) return bridge.resume(state, id, inputResponses, exchange);
  const retry: InputRetry | undefined =
    state === undefined && inputResponses === undefined
      ? undefined
      : { ...(inputResponses ? { inputResponses } : {}), ...(typeof state === 'string' ? { requestState: state } : {}) };
  return bridge.start(id, exchange, (call) =>
    dispatcher.handle(method, params, {
      ...ctx,
      ...(retry ? { retry } : {}),
      signal: call.signal,
      sink: {
        sessionId: ctx.session.id,
        request: async (req, signal) => {
          // A backend's roots/list is often its own sync shortly after initialize, which on a shared
          // connection lands in whatever call is in flight: only the ask is refused, as for a
          // 2025-era client without roots, and the call goes on.
          if (req.method === 'roots/list') assertDeclared(ctx.session.clientCapabilities, req.method);
          const missing = missingCapability(ctx.session.clientCapabilities, req.method);
          if (missing) {
            // The client's request itself fails (SEP-2575: -32021, HTTP 400), not only the backend's ask.
            call.fail(missing);
            throw missing;
          }
          return call.ask(req, signal);
        },
        notify: (n) => call.notify(n),
        ...(ctx.sink.progress ? { progress: (p) => void call.notify({ method: 'notifications/progress', params: p }) } : {}),
      },
    }),
  );
}
