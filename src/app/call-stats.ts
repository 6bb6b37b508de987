// Per-backend call rate and latency percentiles for the status page, computed from `callChannel`
// (every call through the chain, inner calls included) over a sliding window. Memory is bounded:
// only configured backends are tracked, each keeps at most `maxSamples` samples in a ring, and
// samples older than the window are ignored. Live sessions are counted from the session channel.
import type { TracingChannelSubscribers } from 'node:diagnostics_channel';
import { callChannel, channels, type CallTrace, type SessionEvent } from '../observability/channels.js';

/** Default window the rate and percentiles are computed over. */
export const STATS_WINDOW_MS = 60_000;
/** Default bound on samples kept per backend (a busier backend's window is its last 2048 calls). */
export const STATS_MAX_SAMPLES = 2048;

export interface BackendCallStats {
  /** Calls finished within the window (at most `maxSamples`). */
  calls: number;
  errors: number;
  /** Calls per second over the window (or since start, when younger than the window). */
  ratePerSecond: number;
  p50Ms?: number;
  p99Ms?: number;
}

export interface CallStatsSnapshot {
  windowSeconds: number;
  /** Live client sessions by era (the 2026-07-28 era has none: it is per request). */
  sessions: Record<string, number>;
  backends: Record<string, BackendCallStats>;
}

export interface CallStatsOptions {
  /** Is this a backend of this gateway? (Only those are tracked: bounded by the config.) */
  isBackend: (name: string) => boolean;
  windowMs?: number;
  maxSamples?: number;
  now?: () => number;
}

/** A fixed-size ring of (finishedAt, durationMs, failed) samples. */
class Ring {
  readonly #at: Float64Array;
  readonly #ms: Float64Array;
  readonly #failed: Uint8Array;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#at = new Float64Array(capacity);
    this.#ms = new Float64Array(capacity);
    this.#failed = new Uint8Array(capacity);
  }

  push(at: number, ms: number, failed: boolean): void {
    this.#at[this.#next] = at;
    this.#ms[this.#next] = ms;
    this.#failed[this.#next] = failed ? 1 : 0;
    this.#next = (this.#next + 1) % this.#at.length;
    this.#size = Math.min(this.#size + 1, this.#at.length);
  }

  since(from: number): { durations: number[]; errors: number } {
    const durations: number[] = [];
    let errors = 0;
    for (let i = 0; i < this.#size; i++) {
      if (this.#at[i]! < from) continue;
      durations.push(this.#ms[i]!);
      errors += this.#failed[i]!;
    }
    return { durations, errors };
  }
}

export class CallStats implements Disposable {
  readonly #opts: Required<CallStatsOptions>;
  readonly #rings = new Map<string, Ring>();
  readonly #sessions = new Map<string, number>();
  readonly #startedAt: number;
  readonly #subscribers: TracingChannelSubscribers<CallTrace>;
  readonly #onSession = (message: unknown): void => {
    const e = message as SessionEvent;
    const delta = e.event === 'created' ? 1 : -1;
    this.#sessions.set(e.era, Math.max(0, (this.#sessions.get(e.era) ?? 0) + delta));
  };

  constructor(opts: CallStatsOptions) {
    this.#opts = { windowMs: STATS_WINDOW_MS, maxSamples: STATS_MAX_SAMPLES, now: () => performance.now(), ...opts };
    this.#startedAt = this.#opts.now();
    const record = (trace: CallTrace): void => this.#record(trace);
    this.#subscribers = { start: noop, end: noop, asyncStart: noop, asyncEnd: record, error: noop };
    callChannel.subscribe(this.#subscribers);
    channels.session.subscribe(this.#onSession);
  }

  #record(trace: CallTrace): void {
    const target = (trace.call as { target?: { kind?: string; backend?: string } }).target;
    if (target?.kind !== 'backend' || !target.backend || !this.#opts.isBackend(target.backend)) return;
    let ring = this.#rings.get(target.backend);
    if (!ring) this.#rings.set(target.backend, (ring = new Ring(this.#opts.maxSamples)));
    const now = this.#opts.now();
    ring.push(now, now - trace.startedAt, trace.error !== undefined);
  }

  snapshot(): CallStatsSnapshot {
    const now = this.#opts.now();
    const span = Math.max(1, Math.min(this.#opts.windowMs, now - this.#startedAt)) / 1000;
    const backends: Record<string, BackendCallStats> = {};
    for (const [name, ring] of this.#rings) {
      if (!this.#opts.isBackend(name)) {
        this.#rings.delete(name); // removed by a reload
        continue;
      }
      const { durations, errors } = ring.since(now - this.#opts.windowMs);
      durations.sort((a, b) => a - b);
      backends[name] = {
        calls: durations.length,
        errors,
        ratePerSecond: round(durations.length / span),
        ...(durations.length > 0 ? { p50Ms: round(quantile(durations, 0.5)), p99Ms: round(quantile(durations, 0.99)) } : {}),
      };
    }
    return { windowSeconds: this.#opts.windowMs / 1000, sessions: Object.fromEntries(this.#sessions), backends };
  }

  [Symbol.dispose](): void {
    callChannel.unsubscribe(this.#subscribers);
    channels.session.unsubscribe(this.#onSession);
  }
}

function noop(): void {}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
