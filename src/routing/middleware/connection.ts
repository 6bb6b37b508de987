// Which connection serves the call: the backend's shared one, or — for backends whose outgoing
// auth needs the caller's own credentials — the caller's own backend session (created on first
// use; one user's token never reaches another user's session).
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { Principal } from '../../auth/types.js';
import type { BackendConnector } from '../../backends/connector.js';
import type { CallMiddleware } from '../context.js';

export interface ConnectorRegistry {
  /** The connector that serves `principal` on `backend`, connected and ready (or an error saying why not). */
  forCaller(backend: string, principal: Principal): Promise<BackendConnector> | BackendConnector | undefined;
}

export function connection(registry: ConnectorRegistry): CallMiddleware {
  return (next) => async (call) => {
    if (call.target.kind !== 'backend') return next(call);
    const connector = await registry.forCaller(call.target.backend, call.ctx.principal);
    if (!connector) {
      throw new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, `Backend "${call.target.backend}" is not configured`, {
        backend: call.target.backend,
      });
    }
    return next({ ...call, connector });
  };
}
