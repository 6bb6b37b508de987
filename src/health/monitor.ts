// The health monitor: probes every backend on a jittered interval with a timeout, feeds probe and
// real-call outcomes through the pure state machine (transitions.ts) and a per-backend circuit
// breaker, and reports every state change. Time comes from an injected clock (house rule 12).
import type { CircuitBreakerConfig, HealthCheckConfig } from '../config/types.js';
import { channels, publish } from '../observability/channels.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { Probe } from './probe.js';
import { categorize, isAuthError } from './summary.js';
import { countsAsFailure, nextHealth, type ProbeOutcome } from './transitions.js';
import type { AuthRequirement, BackendHealth, CircuitState, ErrorCategory } from './types.js';

export interface MonitoredBackend {
  name: string;
  health: HealthCheckConfig;
  probe: Probe;
  /** What a 401/403 means for this backend (per-user credentials, or none configured). */
  auth: AuthRequirement;
}

export interface HealthChange {
  backend: string;
  from: BackendHealth;
  to: BackendHealth;
}

export interface HealthMonitorOptions {
  backends: readonly MonitoredBackend[];
  breaker: CircuitBreakerConfig;
  clock?: { now(): number };
  random?: () => number;
  onChange?: (change: HealthChange) => void;
}

interface Entry {
  backend: MonitoredBackend;
  record: BackendHealth;
  breaker: CircuitBreaker;
  timer?: NodeJS.Timeout;
  probing?: Promise<void>;
}

export class HealthMonitor {
  #entries = new Map<string, Entry>();
  #clock: { now(): number };
  #random: () => number;
  #onChange: ((change: HealthChange) => void) | undefined;
  #closed = false;
  #started = false;
  #breaker: CircuitBreakerConfig;

  constructor(opts: HealthMonitorOptions) {
    this.#clock = opts.clock ?? { now: () => Date.now() };
    this.#random = opts.random ?? Math.random;
    this.#onChange = opts.onChange;
    this.#breaker = opts.breaker;
    for (const backend of opts.backends) this.#add(backend);
  }

  /** A backend added by a config reload: probed at once when the monitor runs. */
  add(backend: MonitoredBackend): void {
    this.remove(backend.name);
    const entry = this.#add(backend);
    if (this.#started) void this.#runProbe(entry);
  }

  /** A backend removed (or about to be replaced) by a config reload: no more probes, no more state. */
  remove(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(name);
  }

  #add(backend: MonitoredBackend): Entry {
    const entry: Entry = {
      backend,
      record: { name: backend.name, state: 'unknown', consecutiveFailures: 0, circuit: 'closed' },
      breaker: undefined as never,
    };
    entry.breaker = new CircuitBreaker(
      { ...this.#breaker, onChange: (_from: CircuitState, to: CircuitState) => this.#circuitChanged(entry, to) },
      this.#clock,
    );
    this.#entries.set(backend.name, entry);
    return entry;
  }

  /** First probes run at once; then every interval (±10% jitter so backends are not probed in lockstep). */
  start(): void {
    this.#started = true;
    for (const entry of this.#entries.values()) void this.#runProbe(entry);
  }

  /** Resolves when every backend has finished at least its current probe. */
  async settled(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((e) => e.probing));
  }

  get(name: string): BackendHealth | undefined {
    return this.#entries.get(name)?.record;
  }

  all(): BackendHealth[] {
    return [...this.#entries.values()].map((e) => e.record);
  }

  /** The call gate: false while the backend's circuit is open (half-open lets one trial through). */
  allow(name: string): boolean {
    return this.#entries.get(name)?.breaker.allow() ?? true;
  }

  /** Real traffic counts: a failed or timed-out call feeds the same state as a failed probe. */
  recordCall(name: string, error?: unknown): void {
    const entry = this.#entries.get(name);
    if (!entry || this.#closed) return;
    if (error === undefined) {
      entry.breaker.recordSuccess();
      if (entry.record.consecutiveFailures > 0 && entry.record.state !== 'unhealthy')
        this.#set(entry, { ...entry.record, consecutiveFailures: 0 });
      return;
    }
    entry.breaker.recordFailure();
    this.#apply(entry, this.#failure(entry, error));
  }

  /** The connection to a backend dropped (a stdio process exited): noticed at once, not at the next probe. */
  connectionLost(name: string): void {
    const entry = this.#entries.get(name);
    if (entry && !this.#closed) this.#apply(entry, { ok: false, category: 'Backend unavailable' });
  }

  /**
   * A backend reconnected: probe at once, and once more when that first success only made it
   * "recovering" — a backend that answers must not be held degraded (and a lone one Failed, with
   * /readyz at 503) for a whole probe interval after every recovered crash.
   */
  async reconnected(name: string): Promise<void> {
    await this.probeNow(name);
    const h = this.#entries.get(name)?.record;
    const slow = h?.latencyMs !== undefined && h.latencyMs > (this.#entries.get(name)?.backend.health.degradedThresholdMs ?? Infinity);
    if (h?.state === 'degraded' && !slow) await this.probeNow(name);
  }

  /** Probe now (e.g. a backend reconnected), without waiting for the interval. */
  probeNow(name: string): Promise<void> {
    const entry = this.#entries.get(name);
    return entry ? this.#runProbe(entry) : Promise.resolve();
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
  }

  #runProbe(entry: Entry): Promise<void> {
    entry.probing ??= this.#probe(entry).finally(() => {
      entry.probing = undefined;
      this.#schedule(entry);
    });
    return entry.probing;
  }

  async #probe(entry: Entry): Promise<void> {
    if (this.#closed || !entry.breaker.allow()) return; // open circuit: no probe until its timeout
    const { timeoutMs } = entry.backend.health;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('health check timed out')), timeoutMs);
    const started = this.#clock.now();
    try {
      await entry.backend.probe(controller.signal, timeoutMs);
      entry.breaker.recordSuccess();
      this.#apply(entry, { ok: true, latencyMs: this.#clock.now() - started });
    } catch (err) {
      if (this.#closed) return;
      const outcome = controller.signal.aborted
        ? { ok: false as const, category: 'Health check timed out' as ErrorCategory }
        : this.#failure(entry, err);
      if (countsAsFailure(outcome)) entry.breaker.recordFailure();
      this.#apply(entry, outcome);
    } finally {
      clearTimeout(timer);
    }
  }

  #failure(entry: Entry, err: unknown): ProbeOutcome {
    return isAuthError(err)
      ? { ok: false, category: 'Authentication failed', auth: entry.backend.auth }
      : { ok: false, category: categorize(err) };
  }

  #schedule(entry: Entry): void {
    const { intervalMs } = entry.backend.health;
    if (this.#closed || intervalMs <= 0 || this.#entries.get(entry.backend.name) !== entry) return; // closed or removed
    const retryAt = entry.breaker.state === 'open' ? entry.breaker.retryAt : undefined;
    const jittered = intervalMs * (0.9 + this.#random() * 0.2);
    const delay = retryAt !== undefined ? Math.max(0, Math.min(jittered, retryAt - this.#clock.now())) : jittered;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.#runProbe(entry), delay);
    entry.timer.unref();
  }

  #apply(entry: Entry, outcome: ProbeOutcome): void {
    const { unhealthyThreshold, degradedThresholdMs } = entry.backend.health;
    this.#set(entry, nextHealth(entry.record, outcome, { unhealthyThreshold, degradedThresholdMs, now: this.#clock.now() }));
  }

  #circuitChanged(entry: Entry, to: CircuitState): void {
    const retryAt = to === 'open' ? entry.breaker.retryAt : undefined;
    this.#set(entry, {
      ...entry.record,
      circuit: to,
      circuitChangedAt: this.#clock.now(),
      ...(retryAt !== undefined ? { circuitRetryAt: retryAt } : { circuitRetryAt: undefined }),
    });
    if (to === 'open') this.#schedule(entry); // probe again as soon as the circuit lets a trial through
  }

  #set(entry: Entry, next: BackendHealth): void {
    const prev = entry.record;
    entry.record = next;
    if (this.#entries.get(next.name) !== entry) return; // removed by a reload: its last probe reports nothing
    if (prev.state !== next.state || prev.circuit !== next.circuit) {
      publish(channels.backendHealth, {
        backend: next.name,
        from: prev.state,
        to: next.state,
        circuit: next.circuit,
        reason: next.lastError,
      });
      this.#onChange?.({ backend: next.name, from: prev, to: next });
    }
  }
}
