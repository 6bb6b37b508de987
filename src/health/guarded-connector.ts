// The health wrapper around a backend connector (house rule 3: cross-cutting behaviour is a
// wrapper): an open circuit fails a call at once with an error naming the backend and when it will
// be retried, and every call's outcome feeds the health monitor, so a backend that dies between
// probes is noticed on the next call. A backend's own JSON-RPC error proves it is alive: success.
import type {
  BackendCallOptions,
  BackendConnector,
  BackendListener,
  JsonObject,
  RpcNotification,
  RpcRequest,
} from '../backends/connector.js';
import { ErrorCodes, isVmcpError } from '../errors/codes.js';
import { unavailableError } from './unavailable.js';
import type { HealthMonitor } from './monitor.js';

const HEALTH_FAILURES = new Set<string>([ErrorCodes.BACKEND_TIMEOUT, ErrorCodes.BACKEND_UNAVAILABLE, ErrorCodes.BACKEND_FAILED]);

export class GuardedConnector implements BackendConnector {
  readonly #inner: BackendConnector;
  readonly #monitor: HealthMonitor;

  constructor(inner: BackendConnector, monitor: HealthMonitor) {
    this.#inner = inner;
    this.#monitor = monitor;
  }

  get name() {
    return this.#inner.name;
  }
  get transport() {
    return this.#inner.transport;
  }
  get state() {
    return this.#inner.state;
  }
  get info() {
    return this.#inner.info;
  }
  get lastError() {
    return this.#inner.lastError;
  }
  get asksForRoots() {
    return this.#inner.asksForRoots;
  }
  start(): void {
    this.#inner.start();
  }
  firstAttempt(): Promise<void> {
    return this.#inner.firstAttempt();
  }
  subscribe(listener: BackendListener): () => void {
    return this.#inner.subscribe(listener);
  }
  notify(notification: RpcNotification): Promise<void> {
    return this.#inner.notify(notification);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }

  async request(req: RpcRequest, options?: BackendCallOptions): Promise<JsonObject> {
    if (!this.#monitor.allow(this.name)) throw unavailableError(this.name, this.#monitor.get(this.name), req.method);
    try {
      const result = await this.#inner.request(req, options);
      this.#monitor.recordCall(this.name);
      return result;
    } catch (err) {
      if (isVmcpError(err) && HEALTH_FAILURES.has(err.code)) this.#monitor.recordCall(this.name, err);
      else if (!isVmcpError(err, ErrorCodes.CANCELLED)) this.#monitor.recordCall(this.name);
      throw err;
    }
  }
}
