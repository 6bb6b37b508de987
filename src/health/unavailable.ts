// The error a client gets for a backend the health layer has taken out of service: it names the
// backend, says why (open circuit or unhealthy) and when it will be tried again.
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { BackendHealth } from './types.js';

export function unavailableError(backend: string, h: BackendHealth | undefined, what: string, now = Date.now()): VmcpError {
  const retryAt = h?.circuit === 'open' ? h.circuitRetryAt : undefined;
  const why =
    h?.circuit === 'open'
      ? `its circuit breaker is open after ${h.consecutiveFailures} consecutive failures`
      : `it is ${h?.state ?? 'unknown'}${h?.lastError ? ` (${h.lastError})` : ''}`;
  const when =
    retryAt === undefined
      ? 'at the next health check'
      : `at ${new Date(retryAt).toISOString()} (in ${Math.max(0, Math.ceil((retryAt - now) / 1000))}s)`;
  return new VmcpError(
    ErrorCodes.BACKEND_UNAVAILABLE,
    `Backend "${backend}" is unavailable: ${why}; ${what} was not sent. It will be retried ${when}`,
    {
      backend,
      health: h?.state ?? 'unknown',
      circuit: h?.circuit ?? 'closed',
      ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt).toISOString() }),
    },
  );
}
