// The end of the chain: a backend target is sent on the connector the chain chose, a virtual or
// local target runs in the gateway. A 2026-07-28 client's retry goes back to a 2026-07-28 backend
// (they are its own round trip); one toward a 2025-era backend was the gateway's, and is consumed
// at the edge (edge/input-bridge.ts) — anything else reaching here is not valid.
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { speaksModern, type BackendConnector } from '../backends/connector.js';
import type { JsonObject } from '../protocol/index.js';
import type { CallHandler, InputRetry, ResolvedCall } from './context.js';

export const send: CallHandler = async (call) => {
  const target = call.target;
  if (target.kind !== 'backend') return target.run(call);
  const connector = call.connector;
  if (!connector) throw new VmcpError(ErrorCodes.INTERNAL, `no connection chosen for backend "${target.backend}"`);
  return connector.request(
    { method: call.method, params: { ...call.params, ...retryParams(connector, call.ctx.retry) } },
    {
      ...(call.deadline ? { deadline: call.deadline } : { signal: call.ctx.signal }),
      sink: call.ctx.sink,
      principal: call.ctx.principal,
      clientCapabilities: call.ctx.session.clientCapabilities,
      ...(call.ctx.session.logLevel !== undefined ? { logLevel: call.ctx.session.logLevel } : {}),
      ...(call.ctx.headers ? { headers: call.ctx.headers } : {}),
      ...(call.inputRequired ? { inputRequired: call.inputRequired } : {}),
    },
  );
};

function retryParams(connector: BackendConnector, retry: InputRetry | undefined): JsonObject {
  if (!retry) return {};
  if (speaksModern(connector.info)) {
    return {
      ...(retry.inputResponses ? { inputResponses: retry.inputResponses } : {}),
      ...(retry.requestState !== undefined ? { requestState: retry.requestState } : {}),
    };
  }
  if (retry.requestState !== undefined) throw new VmcpError(ErrorCodes.INVALID_PARAMS, 'Invalid or expired requestState');
  return {};
}

export type { ResolvedCall };
