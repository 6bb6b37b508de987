// A per-user backend that refused the caller shows up in their session as a log notice, once per
// session and view — an explicit step of the handlers that serve lists and names, never a side
// effect of building the view.
import type { RequestContext } from './context.js';
import type { RequestView } from './view.js';

export class RefusalNotices {
  readonly #told = new WeakMap<RequestView, Set<string>>();

  tell(ctx: RequestContext, view: RequestView): void {
    if (view.refused.size === 0) return;
    const told = this.#told.get(view) ?? new Set<string>();
    this.#told.set(view, told);
    if (told.has(ctx.session.id)) return;
    told.add(ctx.session.id);
    for (const [backend, reason] of view.refused) {
      const data = `vmcp: backend "${backend}" did not accept your credentials (${reason}); authenticate with it to see and use its tools`;
      void ctx.sink.notify({ method: 'notifications/message', params: { level: 'warning', logger: 'vmcp', data } }).catch(() => undefined);
    }
  }
}
