// A per-backend circuit breaker with an injected clock (house rule 12). Reference: ToolHive
// pkg/vmcp/health/circuit_breaker.go — closed → open after `failureThreshold` failures, open →
// half-open once `openMs` has passed (checked when a caller asks), one trial at a time in
// half-open, success closes, failure re-opens. Disabled = ToolHive's alwaysClosedCircuit.
import type { CircuitState } from './types.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface CircuitBreakerOptions {
  /** Off by default, as in ToolHive (operational.failureHandling.circuitBreaker.enabled). */
  enabled?: boolean;
  /** Consecutive failures that open the circuit (default 5; values < 1 act as 1). */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial (default 60 000 ms). */
  openMs?: number;
  /** Called on every state change, after the state is updated. */
  onChange?(from: CircuitState, to: CircuitState): void;
}

export const CIRCUIT_DEFAULTS = { failureThreshold: 5, openMs: 60_000 } as const;

export class CircuitBreaker {
  readonly enabled: boolean;
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly #clock: Clock;
  readonly #onChange: ((from: CircuitState, to: CircuitState) => void) | undefined;
  #state: CircuitState = 'closed';
  #failures = 0;
  #changedAt: number | undefined;
  /** When the half-open trial was let through; undefined when no trial is in flight. */
  #trialSince: number | undefined;

  constructor(opts: CircuitBreakerOptions = {}, clock: Clock = systemClock) {
    this.enabled = opts.enabled ?? false;
    this.failureThreshold = Math.max(1, Math.floor(opts.failureThreshold ?? CIRCUIT_DEFAULTS.failureThreshold));
    this.openMs = Math.max(0, opts.openMs ?? CIRCUIT_DEFAULTS.openMs);
    this.#clock = clock;
    this.#onChange = opts.onChange;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** When the state last changed (epoch ms); undefined while it has never changed. */
  get changedAt(): number | undefined {
    return this.#changedAt;
  }

  /** While open: when the next trial will be let through. */
  get retryAt(): number | undefined {
    return this.#state === 'open' && this.#changedAt !== undefined ? this.#changedAt + this.openMs : undefined;
  }

  /** Consecutive failures counted since the last success (always 0 when disabled). */
  get failures(): number {
    return this.#failures;
  }

  /**
   * May a probe or call go to the backend now? Open: no, until `openMs` has passed; then the
   * circuit goes half-open and exactly one trial is let through. Further calls are refused until
   * that trial reports (recordSuccess / recordFailure). A trial that never reports (its caller
   * gave up without a verdict) is presumed lost after another `openMs`, and a new trial may go,
   * so the breaker cannot stay stuck in half-open.
   */
  allow(): boolean {
    if (!this.enabled) return true;
    const now = this.#clock.now();
    switch (this.#state) {
      case 'closed':
        return true;
      case 'open':
        if (now < (this.#changedAt ?? now) + this.openMs) return false;
        this.#transition('half-open', now);
        this.#trialSince = now;
        return true;
      case 'half-open':
        if (this.#trialSince !== undefined && now < this.#trialSince + this.openMs) return false;
        this.#trialSince = now;
        return true;
    }
  }

  recordSuccess(): void {
    if (!this.enabled) return;
    this.#failures = 0;
    this.#trialSince = undefined;
    if (this.#state !== 'closed') this.#transition('closed', this.#clock.now());
  }

  recordFailure(): void {
    if (!this.enabled) return;
    this.#failures += 1;
    this.#trialSince = undefined;
    const now = this.#clock.now();
    if (this.#state === 'half-open') this.#transition('open', now);
    else if (this.#state === 'closed' && this.#failures >= this.failureThreshold) this.#transition('open', now);
    // Already open (a call that was in flight when it opened): the open period is not extended.
  }

  #transition(to: CircuitState, now: number): void {
    const from = this.#state;
    this.#state = to;
    this.#changedAt = now;
    this.#onChange?.(from, to);
  }
}
