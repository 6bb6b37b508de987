// The health gate: while a backend's circuit is open a call fails at once (naming the backend and
// when it will be retried), and every call's outcome feeds the health monitor, so a backend that
// dies between probes is noticed on the next call. Only a backend failure (timeout, connection,
// protocol) counts against it; a backend's own JSON-RPC error proves it is alive; a failure caused
// by the client or by the gateway itself counts for nothing.
import { isBackendAnswer } from '../../errors/classify.js';
import { countsAgainstBackend } from '../../errors/codes.js';
import type { CallMiddleware } from '../context.js';

export interface HealthGate {
  /** False while the backend's circuit is open (half-open lets one trial through). */
  allow(backend: string): boolean;
  recordCall(backend: string, error?: unknown): void;
  /** The error for a call refused because the backend is out of service. */
  unavailable(backend: string, what: string): Error;
}

export function circuitGate(health: HealthGate): CallMiddleware {
  return (next) => async (call) => {
    if (call.target.kind !== 'backend') return next(call);
    const { backend } = call.target;
    if (!health.allow(backend)) throw health.unavailable(backend, call.method);
    try {
      const result = await next(call);
      health.recordCall(backend);
      return result;
    } catch (err) {
      if (countsAgainstBackend(err)) health.recordCall(backend, err);
      else if (isBackendAnswer(err)) health.recordCall(backend);
      throw err;
    }
  };
}
