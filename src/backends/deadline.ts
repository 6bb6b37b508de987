// A call's deadline: aborts the call when it passes, restarts on progress (long tools that report
// progress are not killed), pauses while a client answers a relayed request (people are slower
// than request timeouts), and follows the caller's cancel signal. The chain's deadline middleware
// creates one per call; internal requests (discovery, probes) get one of their own.
import type { Deadline } from './connector.js';

export interface OwnedDeadline extends Deadline {
  /** Stop the clock and detach from the parent signal (idempotent). */
  dispose(): void;
}

export function createDeadline(timeoutMs: number, parent?: AbortSignal): OwnedDeadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let paused = 0;
  let done = false;
  let timedOut = false;
  const arm = () => {
    clearTimeout(timer);
    timer =
      paused > 0 || done
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort(new DOMException(`timed out after ${timeoutMs}ms`, 'TimeoutError'));
          }, timeoutMs);
  };
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    timeoutMs,
    progressed: arm,
    pause() {
      paused += 1;
      clearTimeout(timer);
      let resumed = false;
      return () => {
        if (resumed) return;
        resumed = true;
        paused -= 1;
        arm();
      };
    },
    timedOut: () => timedOut,
    dispose() {
      done = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}
