// Serving one client request of a 2025-era session: built-ins answered here (ping; initialize
// again is refused), every other method through the dispatcher on the one chain, with the
// request's own sink so its mid-call traffic goes out on this POST's stream.
import { ANONYMOUS } from '../../auth/types.js';
import { ErrorCodes, VmcpError, isVmcpError } from '../../errors/codes.js';
import { toWireError } from '../../errors/to-wire.js';
import type { JsonObject, RequestId } from '../../protocol/index.js';
import type { RequestContext } from '../../routing/context.js';
import { progressTokenOf } from '../../routing/progress.js';
import type { MethodDispatcher } from '../core.js';
import { clientSink } from '../sinks.js';
import type { LiveSession } from './live-session.js';

/** Methods that change what the session record holds (persisted after they succeed). */
const STATEFUL = new Set(['logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

/** Where a request's mid-call messages go: its POST's own stream, or the session's stream. */
export interface Outbound {
  send(message: JsonObject): boolean;
}

export interface ServeOutcome {
  readonly response: JsonObject;
  /** The session record changed and should be saved. */
  readonly changed: boolean;
}

export async function serveRequest(
  dispatcher: MethodDispatcher,
  session: LiveSession,
  msg: JsonObject,
  exchange: Outbound,
  trace: Pick<RequestContext, 'traceContext'> = {},
  remoteAddress?: string,
): Promise<ServeOutcome> {
  const id = msg['id'] as RequestId;
  const method = msg['method'] as string;
  const reply = (result: JsonObject): ServeOutcome => ({ response: { jsonrpc: '2.0', id, result }, changed: STATEFUL.has(method) });
  const fail = (err: unknown): ServeOutcome => ({ response: { jsonrpc: '2.0', id, error: toWireError(err) }, changed: false });
  if (method === 'ping') return reply({});
  if (method === 'initialize')
    return fail(new VmcpError(ErrorCodes.INVALID_REQUEST, 'Invalid Request: the session is already initialized'));
  if (!dispatcher.has(method)) return fail(new VmcpError(ErrorCodes.METHOD_NOT_FOUND, `Method not found: ${method}`, { method }));
  const controller = session.begin(id);
  if (!controller) {
    return fail(
      new VmcpError(
        ErrorCodes.DUPLICATE_REQUEST_ID,
        `Invalid Request: a request with id ${JSON.stringify(id)} is already in flight on this session`,
      ),
    );
  }
  try {
    const params = (msg['params'] ?? {}) as JsonObject;
    return reply(
      await dispatcher.handle(method, params, {
        ...contextFor(session, method, id, params, exchange, controller.signal, remoteAddress),
        ...trace,
      }),
    );
  } catch (err) {
    // A call ended by shutdown or by the client's cancel says so, whatever the layer that noticed.
    const reason: unknown = controller.signal.reason;
    return fail(controller.signal.aborted && isVmcpError(reason) ? reason : err);
  } finally {
    session.end(id, controller);
  }
}

function contextFor(
  session: LiveSession,
  method: string,
  id: RequestId,
  params: JsonObject,
  exchange: Outbound,
  signal: AbortSignal,
  remoteAddress: string | undefined,
): RequestContext {
  const send = (message: JsonObject) => exchange.send(message);
  return {
    session: session.info,
    principal: session.principal ?? ANONYMOUS,
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
    signal,
    requestId: id,
    sink: clientSink({
      info: session.info,
      method,
      channel: { notify: async (n) => void send({ jsonrpc: '2.0', ...n }), flush: async () => undefined },
      progressToken: progressTokenOf(params),
      send: (req, s) => session.ask(send, req, s),
      declared: () => session.record.clientCapabilities,
    }),
  };
}
