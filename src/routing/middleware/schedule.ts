// Session-affine admission on connections shared by several client sessions (call-scheduler.ts):
// a call whose tool talks back may wait, bounded, behind another session's; the scheduler then
// knows which client owns the backend's mid-call requests and log messages.
import type { CallMiddleware } from '../context.js';

export function schedule(): CallMiddleware {
  return (next) => async (call) => {
    const scheduler = call.connector?.scheduler;
    if (call.target.kind !== 'backend' || !scheduler) return next(call);
    const signal = call.deadline?.signal ?? call.ctx.signal;
    const slot = await scheduler.enter(call.ctx.sink, `${call.method}:${call.target.name}`, signal, call.deadline?.pause);
    try {
      return await next(call);
    } finally {
      scheduler.leave(slot);
    }
  };
}
