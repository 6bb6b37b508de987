// Backends whose outgoing auth needs the caller's identity (token_exchange, token_passthrough) get a
// backend session per user: one shared connector is used for health probes (service credentials
// or none: a 401 then means "unauthenticated, routable"), and calls go through a connector created
// for the calling user on first use, whose every HTTP request carries that user's credentials.
// One user's token never reaches another user's backend session (the pool is keyed by issuer+sub).
// With passthrough headers the key also holds the caller's header values, and a backend with
// shared credentials gets the same pool: callers without such values use the shared connection.
import { ErrorCodes, VmcpError, type FailureKind } from '../errors/codes.js';
import type { CallScheduler } from './call-scheduler.js';
import { callerKey, hasForwarded, type Principal } from '../auth/types.js';
import type {
  BackendCallOptions,
  BackendConnector,
  BackendInfo,
  BackendListener,
  BackendState,
  JsonObject,
  RpcNotification,
  RpcRequest,
} from './connector.js';

export interface UserConnectorFactory {
  /** A connector whose requests carry the credentials of `current()` (the user's latest token). */
  (current: () => Principal, key: string): BackendConnector;
}

interface PoolEntry {
  connector: BackendConnector;
  principal: Principal;
  lastUsed: number;
}

export interface PerUserConnectorOptions {
  shared: BackendConnector;
  create: UserConnectorFactory;
  /** Idle user connections are closed after this long (default 10 min). */
  idleMs?: number;
  maxUsers?: number;
  /**
   * false: the backend's credentials are shared, and only passthrough header values make a caller
   * need its own connection; the shared one then serves everyone else and the shared catalog.
   */
  needsToken?: boolean;
}

export class PerUserConnector implements BackendConnector {
  readonly #shared: BackendConnector;
  readonly #create: UserConnectorFactory;
  readonly #pool = new Map<string, PoolEntry>();
  readonly #idleMs: number;
  readonly #maxUsers: number;
  readonly #userChanges = new Set<() => void>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #needsToken: boolean;

  constructor(opts: PerUserConnectorOptions) {
    this.#needsToken = opts.needsToken ?? true;
    this.#shared = opts.shared;
    this.#create = opts.create;
    this.#idleMs = opts.idleMs ?? 600_000;
    this.#maxUsers = opts.maxUsers ?? 1000;
    this.#sweeper = setInterval(() => void this.#sweep(), Math.min(this.#idleMs, 60_000));
    this.#sweeper.unref();
  }

  get name(): string {
    return this.#shared.name;
  }
  get transport() {
    return this.#shared.transport;
  }
  get state(): BackendState {
    return this.#shared.state;
  }
  get info(): BackendInfo | undefined {
    return this.#shared.info;
  }
  get lastError(): string | undefined {
    return this.#shared.lastError;
  }
  get lastFailure(): FailureKind | undefined {
    return this.#shared.lastFailure;
  }
  get scheduler(): CallScheduler | undefined {
    return this.#shared.scheduler;
  }
  get asksForRoots(): boolean {
    return this.#shared.asksForRoots;
  }
  get perUser(): true {
    return true;
  }
  /** Whether the shared connection serves callers without their own (and the shared catalog). */
  get sharedServes(): boolean {
    return !this.#needsToken;
  }
  /** Whether `principal` gets a connection of its own (and so a catalog view of its own). */
  personal(principal: Principal | undefined): boolean {
    return this.#needsToken ? principal?.token !== undefined : hasForwarded(principal);
  }
  /** The connection without a user's credentials (health probes; service credentials if any). */
  get shared(): BackendConnector {
    return this.#shared;
  }
  start(): void {
    this.#shared.start();
  }
  firstAttempt(): Promise<void> {
    return this.#shared.firstAttempt();
  }
  notify(n: RpcNotification): Promise<void> {
    return this.#shared.notify(n);
  }

  /** Listeners hear the shared connection only; user connections report through onUserChange. */
  subscribe(listener: BackendListener): () => void {
    return this.#shared.subscribe(listener);
  }

  /** A user's connection changed what it offers (list_changed, reconnect): that user's view is stale. */
  onUserChange(listener: () => void): () => void {
    this.#userChanges.add(listener);
    return () => this.#userChanges.delete(listener);
  }

  /** The connector that serves `principal` (created and connected on first use). */
  async forUser(principal: Principal | undefined): Promise<BackendConnector> {
    if (!this.#needsToken && !hasForwarded(principal)) return this.#shared;
    if (!principal || (this.#needsToken && !principal.token)) {
      throw new VmcpError(
        ErrorCodes.BACKEND_AUTH_REQUIRED,
        `Backend "${this.name}" needs your own credentials: sign in to the gateway with OAuth to use it`,
        { backend: this.name },
      );
    }
    const key = callerKey(principal);
    let entry = this.#pool.get(key);
    if (!entry) {
      if (this.#pool.size >= this.#maxUsers) await this.#evictOldest();
      const created: PoolEntry = { connector: undefined as never, principal, lastUsed: Date.now() };
      created.connector = this.#create(() => created.principal, key);
      const changed = () => this.#userChanges.forEach((l) => l());
      created.connector.subscribe({ onListChanged: changed, onReady: changed });
      this.#pool.set(key, created);
      created.connector.start();
      entry = created;
    }
    entry.principal = principal; // the user's latest token
    entry.lastUsed = Date.now();
    await entry.connector.firstAttempt();
    return entry.connector;
  }

  async request(req: RpcRequest, options: BackendCallOptions = {}): Promise<JsonObject> {
    return (await this.connectionFor(options.principal)).request(req, options);
  }

  /** The caller's own connection, ready to use, or an error saying why it is not (the user's problem, not the backend's health). */
  async connectionFor(principal: Principal | undefined): Promise<BackendConnector> {
    const connector = await this.forUser(principal);
    if (connector === this.#shared) return connector; // health and the circuit gate speak for it
    if (connector.state !== 'ready') throw this.#userCannotConnect(connector);
    return connector;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const entries = [...this.#pool.values()];
    this.#pool.clear();
    await Promise.all([this.#shared.close(), ...entries.map((e) => e.connector.close())]);
  }

  #userCannotConnect(connector: BackendConnector): VmcpError {
    const why = connector.lastError ?? connector.state;
    if (connector.lastFailure === 'auth') {
      return new VmcpError(
        ErrorCodes.BACKEND_AUTH_REQUIRED,
        `Backend "${this.name}" rejected your credentials: you must authenticate with that backend (or be granted access) to use it`,
        { backend: this.name },
      );
    }
    return new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, `Backend "${this.name}" is unavailable for your session: ${why}`, {
      backend: this.name,
    });
  }

  async #sweep(): Promise<void> {
    const cutoff = Date.now() - this.#idleMs;
    for (const [key, entry] of this.#pool) {
      if (entry.lastUsed < cutoff) {
        this.#pool.delete(key);
        await entry.connector.close();
      }
    }
  }

  async #evictOldest(): Promise<void> {
    const oldest = [...this.#pool.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
    if (!oldest) return;
    this.#pool.delete(oldest[0]);
    await oldest[1].connector.close();
  }
}
