// Per-user capability views. Backends that need a user's own credentials cannot be discovered by
// the gateway alone (a probe without a user token gets 401), so each user's view is the shared
// catalog plus those backends discovered WITH that user's credentials, cached per user with a TTL
// and dropped on list_changed. A backend that rejects the user is remembered for the view, so its
// names get an error saying the user must authenticate with it, not a silent absence.
import type { AggregationConfig } from '../config/types.js';
import type { BackendConnector } from '../backends/connector.js';
import { callerKey, type Principal } from '../auth/types.js';
import { buildCatalog, type Catalog, type CatalogInput } from './catalog.js';
import { discover } from './discovery.js';
import { describeError } from '../backends/errors.js';
import { prefixFor } from './naming.js';

export interface UserBackends {
  /** The per-user backends, in config order. */
  readonly names: readonly string[];
  /** The connector serving `principal` for `backend` (connected on first use). */
  forUser(backend: string, principal: Principal): Promise<BackendConnector>;
  /** Whether `principal` has its own connection to `backend` (its token, or passthrough header values). */
  personal(backend: string, principal: Principal): boolean;
}

export interface UserView {
  catalog: Catalog;
  /** Per-user backends that refused this user, with a sanitized reason. */
  refused: ReadonlyMap<string, string>;
  /** Which refused backend a name would belong to (prefix naming only; bare names cannot tell). */
  refusedBackend(name: string): { backend: string; reason: string } | undefined;
}

const MAX_USERS = 10_000;

interface Cached {
  view: Promise<UserView>;
  expiresAt: number;
}

export class UserCatalogs {
  #cache = new Map<string, Cached>();
  #ttlMs: number;

  constructor(
    private readonly shared: () => readonly CatalogInput[],
    private readonly users: UserBackends,
    private readonly agg: AggregationConfig,
    private readonly order: readonly string[],
    ttlMs = 300_000,
  ) {
    this.#ttlMs = ttlMs;
  }

  get enabled(): boolean {
    return this.users.names.length > 0;
  }

  view(principal: Principal | undefined, sharedVersion: number): Promise<UserView> | undefined {
    if (!principal || !this.enabled) return undefined;
    const own = this.users.names.filter((backend) => this.users.personal(backend, principal));
    if (own.length === 0) return undefined;
    const key = callerKey(principal);
    const hit = this.#cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.view;
    const view = this.#build(principal, own, sharedVersion);
    // Bounded: beyond MAX_USERS views the oldest is dropped (it is rebuilt if that user returns).
    if (this.#cache.size >= MAX_USERS) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.delete(key);
    this.#cache.set(key, { view, expiresAt: Date.now() + this.#ttlMs });
    view.catch(() => this.#cache.delete(key));
    return view;
  }

  /** A backend (or the shared catalog) changed: every view is rebuilt on next use. */
  invalidate(): void {
    this.#cache.clear();
  }

  async #build(principal: Principal, own: readonly string[], sharedVersion: number): Promise<UserView> {
    const refused = new Map<string, string>();
    const mine = await Promise.all(
      own.map(async (backend) => {
        try {
          const connector = await this.users.forUser(backend, principal);
          if (connector.state !== 'ready') throw new Error(connector.lastError ?? connector.state);
          return { backend, inventory: await discover(connector) };
        } catch (err) {
          refused.set(backend, describeError(err));
          return undefined;
        }
      }),
    );
    // A backend this caller reaches on its own connection replaces its shared inventory, if any.
    const shared = this.shared().filter((i) => !own.includes(i.backend));
    const inputs = [...shared, ...mine.filter((m): m is CatalogInput => m !== undefined)];
    inputs.sort((a, b) => this.order.indexOf(a.backend) - this.order.indexOf(b.backend));
    // Versions of user views never collide with the shared one's cursors: offset by a large stride.
    const { catalog } = buildCatalog(sharedVersion * 1_000_003 + 1, inputs, this.agg);
    const agg = this.agg;
    return {
      catalog,
      refused,
      refusedBackend: (name) => {
        if (agg.conflictResolution !== 'prefix') return undefined;
        for (const [backend, reason] of refused) if (name.startsWith(prefixFor(agg.prefixFormat, backend))) return { backend, reason };
        return undefined;
      },
    };
  }
}
