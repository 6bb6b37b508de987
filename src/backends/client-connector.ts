// One BackendConnector implementation for every transport: an MCP SDK v2 Client over a transport
// made by a per-transport factory, supervised (reconnect with backoff) until close(). Failures are
// classified here, at the backend boundary (errors/classify.ts), and nowhere else.
import { Client, SdkError, SdkErrorCode, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { BackendProtocol, BackendTransport } from '../config/types.js';
import { classifyBackendError, failureKindOf } from '../errors/classify.js';
import { describeError } from '../errors/describe.js';
import { ErrorCodes, VmcpError, type FailureKind } from '../errors/codes.js';
import { channels, publish, type BackendStateEvent } from '../observability/channels.js';
import type { JsonObject, RpcNotification, RpcRequest } from '../protocol/index.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import { CallScheduler } from './call-scheduler.js';
import {
  speaksModern,
  type BackendCallOptions,
  type BackendConnector,
  type BackendInfo,
  type BackendListener,
  type BackendState,
} from './connector.js';
import { createDeadline } from './deadline.js';
import { connectionIsGone } from './errors.js';
import { keepListening } from './listen.js';
import { fromBackendWire, toBackendWire } from './modern-wire.js';
import { ProgressRouter } from './progress-router.js';
import { TrafficRouter } from './traffic.js';
import { LIST_CHANGED } from './wire-methods.js';

/** setTimeout's ceiling; used to disable the SDK's per-request timer (the deadline is ours). */
const MAX_TIMER_MS = 2_147_483_647;

/** Results pass through unchanged: validate only that it is an object, keep every field. */
const AnyResult = z.looseObject({});

export interface ConnectorLimits {
  /** Longest a call waits behind another session's interactive call (operational.limits.exclusiveWait). */
  readonly exclusiveWaitMs: number;
  /** Progress and log messages per call per second (operational.limits.notificationsPerSecond). */
  readonly notificationsPerSecond: number;
}

export interface ClientConnectorOptions {
  name: string;
  transport: BackendTransport;
  createTransport: () => Transport;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  protocolVersion: BackendProtocol;
  clientInfo: { name: string; version: string };
  limits: ConnectorLimits;
  backoff?: BackoffPolicy;
}

export class ClientConnector implements BackendConnector {
  readonly name: string;
  readonly transport: BackendTransport;
  readonly scheduler: CallScheduler;
  #opts: ClientConnectorOptions;
  #client: Client | undefined;
  #state: BackendState = 'idle';
  #info: BackendInfo | undefined;
  #lastError: string | undefined;
  #lastFailure: FailureKind | undefined;
  #listeners = new Set<BackendListener>();
  #asksForRoots = false;
  #progress: ProgressRouter;
  #traffic: TrafficRouter;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #firstAttempt: Promise<void>;
  #settleFirst!: () => void;
  #closed: Promise<void> | undefined;

  constructor(opts: ClientConnectorOptions) {
    this.name = opts.name;
    this.transport = opts.transport;
    this.#opts = opts;
    this.scheduler = new CallScheduler(opts.limits);
    this.#progress = new ProgressRouter(opts.limits.notificationsPerSecond);
    this.#traffic = new TrafficRouter({
      backend: opts.name,
      scheduler: this.scheduler,
      unowned: (n) => this.#listeners.forEach((l) => l.onNotification?.(this, n)),
      askedForRoots: () => (this.#asksForRoots = true),
    });
    this.#firstAttempt = new Promise((resolve) => (this.#settleFirst = resolve));
  }

  get state(): BackendState {
    return this.#state;
  }
  get info(): BackendInfo | undefined {
    return this.#info;
  }
  get lastError(): string | undefined {
    return this.#lastError;
  }
  get lastFailure(): FailureKind | undefined {
    return this.#lastFailure;
  }
  get asksForRoots(): boolean {
    return this.#asksForRoots;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    void this.#connectOnce();
  }

  firstAttempt(): Promise<void> {
    return this.#firstAttempt;
  }

  subscribe(listener: BackendListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async request(req: RpcRequest, options: BackendCallOptions = {}): Promise<JsonObject> {
    const client = this.#client;
    if (!client || this.#state !== 'ready') throw this.#unavailable(req.method);
    const own =
      options.deadline === undefined ? createDeadline(options.timeoutMs ?? this.#opts.requestTimeoutMs, options.signal) : undefined;
    const deadline = options.deadline ?? own!;
    const progress = this.#progress.track(req, options.sink?.progress, deadline.progressed, (m) => this.#warn(m));
    try {
      const wire = toBackendWire({ method: req.method, params: progress.params }, this.#info, options);
      const allowInputRequired = options.inputRequired === 'return';
      const headers = options.headers && Object.keys(options.headers).length > 0 ? { headers: options.headers } : {};
      const result = await client.request(wire as never, AnyResult, {
        signal: deadline.signal,
        timeout: MAX_TIMER_MS,
        allowInputRequired,
        ...headers,
      } as never);
      return fromBackendWire(req, result);
    } catch (err) {
      if (connectionIsGone(err)) this.#dropConnection(client);
      const cause = deadline.timedOut() ? new SdkError(SdkErrorCode.RequestTimeout, 'timeout') : err;
      throw classifyBackendError(cause, { backend: this.name, method: req.method, timeoutMs: deadline.timeoutMs });
    } finally {
      progress.end();
      own?.dispose();
    }
  }

  async notify(notification: RpcNotification): Promise<void> {
    if (!this.#client || this.#state !== 'ready') return;
    await this.#client.notification(notification as never);
  }

  close(): Promise<void> {
    this.#closed ??= this.#doClose();
    return this.#closed;
  }

  async #doClose(): Promise<void> {
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#setState('closed', 'gateway shutting down');
    this.#settleFirst();
    await client?.close().catch(() => undefined);
  }

  async #connectOnce(): Promise<void> {
    this.#setState('connecting');
    try {
      await this.#connect();
      this.#attempt = 0;
      this.#lastError = undefined;
      this.#lastFailure = undefined;
      this.#setState('ready');
      this.#settleFirst();
      for (const l of this.#listeners) l.onReady?.(this);
    } catch (err) {
      this.#lastError = describeError(err);
      this.#lastFailure = failureKindOf(err) ?? 'connection';
      this.#settleFirst();
      this.#scheduleRetry(this.#lastError);
    }
  }

  async #connect(): Promise<void> {
    const client = this.#newClient();
    const transport = this.#opts.createTransport();
    const timer = setTimeout(() => void client.close(), this.#opts.connectTimeoutMs);
    try {
      await client.connect(transport, { timeout: this.#opts.connectTimeoutMs });
    } catch (err) {
      await client.close().catch(() => undefined);
      throw this.#closed ? new Error('closed while connecting') : err;
    } finally {
      clearTimeout(timer);
    }
    if (this.#closed) {
      await client.close().catch(() => undefined);
      throw new Error('closed while connecting');
    }
    client.onclose = () => this.#onConnectionClosed(client);
    this.#progress.attach(transport);
    this.#client = client;
    const server = client.getServerVersion();
    this.#info = {
      serverInfo: { name: server?.name ?? this.name, version: server?.version ?? '', ...(server?.title ? { title: server.title } : {}) },
      capabilities: (client.getServerCapabilities() ?? {}) as JsonObject,
      instructions: client.getInstructions(),
      protocolVersion: client.getNegotiatedProtocolVersion(),
    };
    if (speaksModern(this.#info)) keepListening(client, this.#info.capabilities, () => this.#client === client);
  }

  #newClient(): Client {
    const { protocolVersion } = this.#opts;
    const mode = protocolVersion === 'legacy' ? 'legacy' : protocolVersion === 'auto' ? 'auto' : { pin: protocolVersion };
    const client = new Client(this.#opts.clientInfo, {
      // A 2025-era connection is shared by every session, so it declares what any client may
      // bring; a relayed request the calling client did not declare is refused by its sink. A
      // 2026-07-28 request carries the calling client's own capabilities (modern-wire.ts).
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      versionNegotiation: { mode },
    });
    this.#traffic.install(client);
    client.fallbackNotificationHandler = (n) => this.#onNotification(n as RpcNotification);
    return client;
  }

  async #onNotification(n: RpcNotification): Promise<void> {
    const kind = LIST_CHANGED[n.method];
    if (kind) {
      for (const l of this.#listeners) l.onListChanged?.(this, kind);
      return;
    }
    if (n.method === 'notifications/message') return this.#traffic.logMessage(n);
    for (const l of this.#listeners) l.onNotification?.(this, n);
  }

  /**
   * An HTTP backend that restarted no longer knows our session (404) or refuses connections: the
   * old session is useless, so reconnect (with backoff) and re-initialize instead of failing
   * forever with a stale session id (https://github.com/metatool-ai/metamcp/issues/294).
   */
  #dropConnection(client: Client): void {
    if (this.#client === client) void client.close().catch(() => undefined);
  }

  #onConnectionClosed(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined; // `info` stays: the last known capabilities, until the next connect
    if (this.#closed) return;
    this.#lastError = this.transport === 'stdio' ? 'process exited' : 'connection closed';
    this.#lastFailure = 'connection';
    for (const l of this.#listeners) l.onDown?.(this, this.#lastError);
    this.#scheduleRetry(this.#lastError);
  }

  #scheduleRetry(reason: string): void {
    if (this.#closed) return;
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.#opts.backoff ?? defaultBackoff);
    this.#setState('down', reason, delay);
    this.#retryTimer = setTimeout(() => void this.#connectOnce(), delay);
    this.#retryTimer.unref();
  }

  #setState(to: BackendState, reason?: string, retryInMs?: number): void {
    const from = this.#state;
    this.#state = to;
    publish<BackendStateEvent>(channels.backendState, {
      backend: this.name,
      from,
      to,
      ...(reason ? { reason } : {}),
      ...(retryInMs !== undefined ? { retryInMs, attempt: this.#attempt } : {}),
    });
  }

  #warn(message: string): void {
    publish(channels.warning, { source: this.name, message });
  }

  #unavailable(method: string): VmcpError {
    const why = this.#lastError ? `: ${this.#lastError}` : '';
    return new VmcpError(
      ErrorCodes.BACKEND_UNAVAILABLE,
      `Backend "${this.name}" is unavailable (${this.#state})${why}; ${method} was not sent`,
      {
        backend: this.name,
      },
      { failure: { kind: 'connection', backend: this.name } },
    );
  }
}
