// One BackendConnector implementation for every transport: an MCP SDK v2 Client over a transport
// made by a per-transport factory, supervised (reconnect with backoff) until close().
import { Client, ProtocolError, SdkError, SdkErrorCode, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { BackendProtocol, BackendTransport } from '../config/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type BackendStateEvent, type WarningEvent } from '../observability/channels.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import {
  speaksModern,
  type BackendCallOptions,
  type BackendConnector,
  type BackendInfo,
  type BackendListener,
  type BackendState,
  type JsonObject,
  type RpcNotification,
  type RpcRequest,
} from './connector.js';
import { connectionIsGone, describeError, mapBackendError } from './errors.js';
import { CallControl, type Call } from './call-control.js';
import { keepListening } from './listen.js';
import { fromBackendWire, toBackendWire } from './modern-wire.js';
import { CallScheduler, type ScheduledCall, type SharingMode } from './call-scheduler.js';
import { LIST_CHANGED, RELAYED_REQUESTS, callKey } from './wire-methods.js';

/** setTimeout's ceiling; used to disable the SDK's per-request timer. */
const MAX_TIMER_MS = 2_147_483_647;

/** Results pass through unchanged: validate only that it is an object, keep every field. */
const AnyResult = z.looseObject({});

export interface ClientConnectorOptions {
  name: string;
  transport: BackendTransport;
  createTransport: () => Transport;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  protocolVersion: BackendProtocol;
  clientInfo: { name: string; version: string };
  backoff?: BackoffPolicy;
  /** How calls of several client sessions share this connection (call-scheduler.ts). */
  sharing?: SharingMode;
}

export class ClientConnector implements BackendConnector {
  readonly name: string;
  readonly transport: BackendTransport;
  #opts: ClientConnectorOptions;
  #client: Client | undefined;
  #state: BackendState = 'idle';
  #info: BackendInfo | undefined;
  #lastError: string | undefined;
  #listeners = new Set<BackendListener>();
  #scheduler: CallScheduler;
  /** The deadline of each scheduled call, paused while its client answers a relayed request. */
  #calls = new WeakMap<ScheduledCall, Call>();
  #asksForRoots = false;
  #control = new CallControl();
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #firstAttempt: Promise<void>;
  #settleFirst!: () => void;
  #closed: Promise<void> | undefined;

  constructor(opts: ClientConnectorOptions) {
    this.name = opts.name;
    this.transport = opts.transport;
    this.#opts = opts;
    this.#scheduler = new CallScheduler(opts.sharing);
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
    const { sink } = options;
    const timeoutMs = options.timeoutMs ?? this.#opts.requestTimeoutMs;
    const call = this.#control.begin(req.params, { signal: options.signal, timeoutMs, onProgress: options.onProgress });
    let scheduled: ScheduledCall | undefined;
    try {
      if (sink) {
        scheduled = await this.#scheduler.enter(sink, callKey(req), call.signal);
        this.#calls.set(scheduled, call);
      }
      // The deadline is CallControl's (reset by progress); the SDK's own timer is kept out of the way.
      const allowInputRequired = options.inputRequired === 'return';
      const wire = toBackendWire({ method: req.method, params: call.params }, this.#info);
      const result = await client.request(wire as never, AnyResult, { signal: call.signal, timeout: MAX_TIMER_MS, allowInputRequired });
      return fromBackendWire(req, result);
    } catch (err) {
      if (connectionIsGone(err)) this.#dropConnection(client);
      throw mapBackendError(call.timedOut() ? new SdkError(SdkErrorCode.RequestTimeout, 'timeout') : err, this.name, req.method, timeoutMs);
    } finally {
      call.end();
      if (scheduled) this.#scheduler.leave(scheduled);
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
      this.#setState('ready');
      this.#settleFirst();
      for (const l of this.#listeners) l.onReady?.(this);
    } catch (err) {
      this.#lastError = describeError(err);
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
    this.#control.attach(transport);
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
      // Declared so backends offer their sampling/elicitation/roots tools; each such request is
      // relayed to the client whose call is in flight, or refused if that client lacks it.
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      versionNegotiation: { mode },
    });
    for (const method of RELAYED_REQUESTS) {
      client.setRequestHandler(method, ((req: RpcRequest, ctx: { mcpReq: { signal: AbortSignal } }) =>
        this.#relay({ method, params: req.params }, ctx.mcpReq.signal)) as never);
    }
    client.fallbackNotificationHandler = (n) => this.#onNotification(n as RpcNotification);
    return client;
  }

  /** The call in flight on this connection owns the backend's request (call-scheduler.ts). */
  async #relay(req: RpcRequest, signal: AbortSignal): Promise<JsonObject> {
    if (req.method === 'roots/list') this.#asksForRoots = true;
    const owner = this.#owner(req.method);
    if (!owner) {
      throw new ProtocolError(
        -32603,
        `vmcp: ${req.method} from backend "${this.name}" arrived outside any client call, so no client can answer it`,
      );
    }
    const resume = this.#calls.get(owner)?.pause();
    try {
      return await owner.sink.request(req, signal);
    } finally {
      resume?.();
    }
  }

  async #onNotification(n: RpcNotification): Promise<void> {
    const kind = LIST_CHANGED[n.method];
    if (kind) {
      for (const l of this.#listeners) l.onListChanged?.(this, kind);
      return;
    }
    const sink = n.method === 'notifications/message' ? this.#owner(n.method)?.sink : undefined;
    if (sink) return sink.notify(n);
    for (const l of this.#listeners) l.onNotification?.(this, n);
  }

  /**
   * An HTTP backend that restarted no longer knows our session (404) or refuses connections: the
   * old session is useless, so reconnect (with backoff) and re-initialize instead of failing
   * forever with a stale session id (metamcp#294, mcp-proxy#14).
   */
  #dropConnection(client: Client): void {
    if (this.#client === client) void client.close().catch(() => undefined);
  }

  #owner(method: string): ScheduledCall | undefined {
    if (!this.#scheduler.unambiguous()) {
      publish<WarningEvent>(channels.warning, {
        source: this.name,
        message: `${method} from a shared backend arrived while calls of several sessions were in flight; sent to the most recent one`,
      });
    }
    return this.#scheduler.owner();
  }

  #onConnectionClosed(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined; // `info` stays: the last known capabilities, until the next connect
    if (this.#closed) return;
    this.#lastError = this.transport === 'stdio' ? 'process exited' : 'connection closed';
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

  #unavailable(method: string): VmcpError {
    const why = this.#lastError ? `: ${this.#lastError}` : '';
    return new VmcpError(
      ErrorCodes.BACKEND_UNAVAILABLE,
      `Backend "${this.name}" is unavailable (${this.#state})${why}; ${method} was not sent`,
      {
        backend: this.name,
      },
    );
  }
}
