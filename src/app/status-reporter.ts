// Logs the gateway's status: a line whenever the phase changes, and a summary every
// operational.failureHandling.statusReportingInterval (ToolHive's logging reporter).
import { channels, publish, type StatusEvent } from '../observability/channels.js';
import type { StatusReport } from '../health/types.js';

export class StatusReporter {
  #status: () => StatusReport;
  #timer: NodeJS.Timeout | undefined;
  #lastPhase: string | undefined;

  constructor(status: () => StatusReport, intervalMs: number) {
    this.#status = status;
    if (intervalMs > 0) {
      this.#timer = setInterval(() => this.check(true), intervalMs);
      this.#timer.unref();
    }
  }

  /** Call on every health change; logs only when the phase moved (or on the periodic tick). */
  check(periodic = false): void {
    const { phase, message, backendCount, summary } = this.#status();
    const changed = phase !== this.#lastPhase;
    if (!changed && !periodic) return;
    publish<StatusEvent>(channels.status, {
      phase,
      message,
      routable: backendCount,
      total: summary.total,
      changed,
      ...(this.#lastPhase ? { from: this.#lastPhase } : {}),
    });
    this.#lastPhase = phase;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
