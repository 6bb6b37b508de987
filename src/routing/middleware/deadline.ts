// Every backend call gets a deadline (the backend's request timeout), restarted by progress and
// paused while the client answers a relayed request; cancelling the client request cancels it.
import { createDeadline } from '../../backends/deadline.js';
import type { CallMiddleware } from '../context.js';

export function deadline(timeoutFor: (backend: string) => number): CallMiddleware {
  return (next) => async (call) => {
    if (call.target.kind !== 'backend') return next(call);
    const d = createDeadline(timeoutFor(call.target.backend), call.ctx.signal);
    try {
      return await next({ ...call, deadline: d });
    } finally {
      d.dispose();
    }
  };
}
