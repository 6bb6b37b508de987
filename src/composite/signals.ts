// Abort plumbing on the host's clock: deadlines that abort a signal with a reason naming the
// limit, abortable sleeps, and racing a host call against a signal so a host that ignores the
// signal can still not hold a timed-out workflow open.
import type { Clock } from './host.js';

export type AbortKind = 'timeout' | 'cancelled' | 'failed' | 'skipped';

/** Why a signal was aborted; `kind` tells a step timeout from the client cancelling. */
export class WorkflowAbort extends Error {
  readonly kind: AbortKind;
  /** Which scope's deadline fired ('step' or 'workflow'), for timeouts. */
  readonly scope: string | undefined;
  constructor(kind: AbortKind, message: string, scope?: string) {
    super(message);
    this.name = 'WorkflowAbort';
    this.kind = kind;
    this.scope = scope;
  }
}

export interface Scope {
  readonly signal: AbortSignal;
  abort(reason: WorkflowAbort): void;
  /** Clears the deadline; idempotent. */
  dispose(): void;
}

/** A child scope of `parent`, aborted after `timeoutMs` (if given) with `onTimeout`. */
export function scope(parent: AbortSignal | undefined, clock: Clock, timeoutMs?: number, onTimeout?: () => WorkflowAbort): Scope {
  const controller = new AbortController();
  const fromParent = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', fromParent, { once: true });
  const timer =
    timeoutMs === undefined || controller.signal.aborted ? undefined : clock.setTimeout(() => controller.abort(onTimeout?.()), timeoutMs);
  let disposed = false;
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      parent?.removeEventListener('abort', fromParent);
    },
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function race<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Waits `ms` on the clock; rejects early with the signal's reason. */
export function sleep(ms: number, clock: Clock, signal: AbortSignal): Promise<void> {
  let handle: unknown;
  const done = new Promise<void>((resolve) => {
    handle = clock.setTimeout(resolve, ms);
  });
  return race(done, signal).finally(() => clock.clearTimeout(handle));
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new WorkflowAbort('cancelled', 'the call was cancelled');
}
