// Tool pinning as a feature (`aggregation.pinning` other than off): the pins are loaded before any
// backend connects, the ledger gates every backend's tools on their way into the catalog (a
// list_changed rediscovery passes the same gate), a call to a held tool is refused naming pinning
// and how to approve it (also when a composite step calls it by its backend name), and the pin API
// approves changes on a running gateway. Every change and approval is published on the pin
// channel (audit, metrics) and a change is logged as a warning.
import type { RuntimeConfig } from '../config/types.js';
import { PinLedger, type ActivePolicy, type LedgerEvent } from '../aggregation/pinning/ledger.js';
import type { Selection } from '../aggregation/pinning/select.js';
import type { Principal } from '../auth/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type PinEvent, type WarningEvent } from '../observability/channels.js';
import type { CallMiddleware } from '../routing/context.js';
import type { RequestView } from '../routing/view.js';
import type { Feature, FeatureDeps } from './features.js';
import { pinRoutes } from './pinning-routes.js';
import { loadPins, openPinStore, PinWriter } from './pinning-store.js';

export async function pinningFeature(deps: FeatureDeps): Promise<Feature | undefined> {
  const policy = deps.config.pinning.policy;
  if (policy === 'off') return undefined;
  let approvers = deps.config.pinning.approvers;
  const store = openPinStore(deps.config, deps.redis);
  const records = await loadPins(store);
  const writer = new PinWriter(store);
  let approver: string | undefined;
  let released: string[] = [];
  const ledger: PinLedger = new PinLedger(records, policy, {
    persist: (r) => writer.write(r),
    event: (e) => {
      if (e.kind === 'released') released.push(e.backend);
      announce(e, ledger.policy, approver);
    },
    held: (held) => publish<PinEvent>(channels.pin, { kind: 'held', policy: ledger.policy, held }),
  });
  let active = true;
  deps.catalogs.setToolGate(ledger);
  const approve = async (selection: Selection, by: Principal | undefined) => {
    approver = by?.subject ?? 'anonymous';
    released = [];
    const approved = ledger.approve(selection.keys, selection.release);
    approver = undefined;
    if (active) deps.catalogs.setToolGate(ledger);
    await writer.settled();
    await deps.catalogs.settled();
    return { approved: approved.map((c) => `${c.backend}/${c.tool}`), released: [...released] };
  };
  return {
    name: 'pinning',
    outer: [refuseHeld(ledger)],
    view: (view) => explainHeld(view, deps, ledger),
    routes: pinRoutes({ ledger, where: store.where, fullCatalog: () => deps.catalogs.fullCatalog, approve, approvers: () => approvers }),
    statusOf: (backend) => {
      const q = ledger.quarantine(backend);
      return q ? { quarantine: { reason: q.reason, since: q.since } } : undefined;
    },
    reload: (config: RuntimeConfig) => {
      active = config.pinning.policy !== 'off';
      approvers = config.pinning.approvers;
      if (active) ledger.setPolicy(config.pinning.policy as ActivePolicy);
      deps.catalogs.setToolGate(active ? ledger : undefined);
    },
    close: async () => {
      await writer.settled();
      await store.close?.();
    },
  };
}

function announce(e: LedgerEvent, policy: ActivePolicy, by: string | undefined): void {
  const event: PinEvent = { ...e, policy, ...(e.kind === 'approved' && by !== undefined ? { by } : {}) };
  publish<PinEvent>(channels.pin, event);
  if (e.kind === 'changed') {
    const effect = policy === 'warn' ? 'still served' : policy === 'hide' ? 'held back until approved' : 'its backend is quarantined';
    publish<WarningEvent>(channels.warning, {
      source: 'pinning',
      message: `backend "${e.backend}" changed the definition of tool "${e.tool}" since it was pinned (${effect}); review with \`vmcp pins diff\`, approve with \`vmcp pins approve ${e.backend}/${e.tool}\``,
    });
  } else if (e.kind === 'quarantined') {
    publish<WarningEvent>(channels.warning, { source: 'pinning', message: `backend "${e.backend}" is quarantined: ${e.reason}` });
  }
}

function heldError(ledger: PinLedger, backend: string, tool: string, advertised: string): VmcpError {
  const q = ledger.quarantine(backend);
  const why = q
    ? `backend "${backend}" is quarantined by tool pinning (${q.reason})`
    : `backend "${backend}" changed its definition since it was pinned (aggregation.pinning: ${ledger.policy})`;
  return new VmcpError(
    ErrorCodes.FORBIDDEN,
    `Tool "${advertised}" is held back: ${why}. Review the change with \`vmcp pins diff\` and approve it with \`vmcp pins approve ${q ? backend : `${backend}/${tool}`}\``,
    { backend, tool: advertised, pinning: q ? 'quarantined' : 'changed' },
  );
}

/** Every call of a held backend tool, including a composite step's call by the backend's own name. */
function refuseHeld(ledger: PinLedger): CallMiddleware {
  return (next) => (call) => {
    const t = call.target;
    if (t.kind === 'backend' && t.entry === 'tool' && call.method === 'tools/call' && ledger.isHeld(t.backend, t.name))
      return Promise.reject(heldError(ledger, t.backend, t.name, t.advertised));
    return next(call);
  };
}

/** A held tool is not listed; a call naming it says why instead of "unavailable". */
function explainHeld(view: RequestView, deps: FeatureDeps, ledger: PinLedger): RequestView {
  return {
    ...view,
    resolve: (entry, name) => {
      const r = view.resolve(entry, name);
      if (entry !== 'tool' || !('hidden' in r)) return r;
      const route = deps.catalogs.fullCatalog.tool(name);
      if (route && ledger.isHeld(route.backend, route.name)) throw heldError(ledger, route.backend, route.name, name);
      return r;
    },
  };
}
