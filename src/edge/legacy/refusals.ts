// The refusals of the 2025-era leg that more than one of its parts gives: session limits, another
// identity's session, the session store out of reach.
import type { ServerLimits } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { SessionStore } from '../../state/sessions.js';

/**
 * A new session must fit the global cap (503) and the caller's own (429); both say when to retry.
 * `pending` / `pendingOwn`: sessions on their way (SSE streams not initialized yet), in all and the caller's.
 */
export async function capacityRefusal(
  store: SessionStore,
  limits: ServerLimits,
  quotaKey: string,
  pending = 0,
  pendingOwn = 0,
): Promise<VmcpError | undefined> {
  const retryAfterSeconds = Math.max(1, Math.ceil(limits.sessionInitTimeoutMs / 1000));
  if ((await store.size()) + pending >= limits.maxSessions) {
    return new VmcpError(
      ErrorCodes.SESSION_LIMIT,
      `Service Unavailable: the gateway holds its maximum of ${limits.maxSessions} sessions (server.limits.maxSessions); retry later`,
      { limit: 'server.limits.maxSessions' },
      { retryAfterSeconds },
    );
  }
  if ((await store.countFor(quotaKey)) + pendingOwn >= limits.maxSessionsPerPrincipal) {
    return new VmcpError(
      ErrorCodes.SESSION_LIMIT,
      `Too Many Requests: you hold the maximum of ${limits.maxSessionsPerPrincipal} sessions (server.limits.maxSessionsPerPrincipal); close one or retry later`,
      { limit: 'server.limits.maxSessionsPerPrincipal' },
      { retryAfterSeconds, httpStatus: 429 },
    );
  }
  return undefined;
}

export function forbidden(): VmcpError {
  return new VmcpError(ErrorCodes.SESSION_FORBIDDEN, 'Forbidden: this session belongs to another identity; initialize your own session');
}

export function storeUnavailable(err: unknown): VmcpError {
  const why = err instanceof Error ? err.message.slice(0, 200) : 'unreachable';
  return new VmcpError(
    ErrorCodes.STORE_UNAVAILABLE,
    `Service Unavailable: the session storage (sessionStorage) is unreachable (${why}); sessions already open go on, new ones wait for it`,
    {},
    { retryAfterSeconds: 5 },
  );
}
