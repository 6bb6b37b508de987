// Mid-call traffic from a backend — its sampling/elicitation/roots requests and its log messages —
// goes to the client call that owns it. Ownership comes from the connection's CallScheduler
// (call-scheduler.ts); an ambiguous owner is refused, never guessed. Each call's log messages are
// bounded per second (operational.limits.notificationsPerSecond); the rest is dropped and counted.
import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { JsonRpcCodes, type JsonObject, type RpcNotification, type RpcRequest } from '../protocol/index.js';
import type { CallScheduler, ScheduledCall } from './call-scheduler.js';
import { RELAYED_REQUESTS } from './wire-methods.js';

export interface TrafficOptions {
  readonly backend: string;
  readonly scheduler: CallScheduler;
  /** A log message or other notification that belongs to no call (resource updates, stray logs). */
  readonly unowned: (n: RpcNotification) => void;
  /** The backend asked a client for roots (it wants roots/list_changed from then on). */
  readonly askedForRoots: () => void;
}

export class TrafficRouter {
  readonly #opts: TrafficOptions;

  constructor(opts: TrafficOptions) {
    this.#opts = opts;
  }

  /** Register the relay handlers on a new backend Client. */
  install(client: Client): void {
    for (const method of RELAYED_REQUESTS) {
      client.setRequestHandler(method, ((req: RpcRequest, ctx: { mcpReq: { signal: AbortSignal } }) =>
        this.#relay({ method, params: req.params }, ctx.mcpReq.signal)) as never);
    }
  }

  /** A log message: to the call that owns it, within that call's budget. */
  async logMessage(n: RpcNotification): Promise<void> {
    const owner = this.#owner(n.method);
    if (!owner) return this.#opts.unowned(n);
    if (owner.gate.admit()) await owner.sink.notify(n);
  }

  async #relay(req: RpcRequest, signal: AbortSignal): Promise<JsonObject> {
    if (req.method === 'roots/list') this.#opts.askedForRoots();
    const owner = this.#owner(req.method);
    if (!owner) {
      throw new ProtocolError(
        JsonRpcCodes.INTERNAL_ERROR,
        `vmcp: ${req.method} from backend "${this.#opts.backend}" cannot be attributed to one client call (none in flight, or calls of several sessions), so no client can answer it`,
      );
    }
    const resume = owner.pause();
    try {
      return await owner.sink.request(req, signal);
    } finally {
      resume();
    }
  }

  #owner(method: string): ScheduledCall | undefined {
    const o = this.#opts.scheduler.owner();
    if ('owner' in o) return o.owner;
    if ('ambiguous' in o) {
      publish<WarningEvent>(channels.warning, {
        source: this.#opts.backend,
        message: `${method} from a shared backend arrived while calls of ${o.ambiguous.length} sessions were in flight; it was kept from all of them`,
      });
    }
    return undefined;
  }
}
