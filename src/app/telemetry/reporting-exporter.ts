// A span exporter that says when traces stop reaching the collector. OpenTelemetry's batch
// processor swallows a failed export, so a collector that is down or refuses the credentials would
// go unnoticed: the first failure is a warning naming the collector (never its credentials) and
// how many spans were dropped, repeated at most once a minute while it lasts, and one line when
// export works again.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { channels, publish, type WarningEvent } from '../../observability/channels.js';

/** At most one "still failing" warning per this long. */
export const EXPORT_WARNING_INTERVAL_MS = 60_000;

export class ReportingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #where: string;
  readonly #now: () => number;
  #failing = false;
  #warnedAt = 0;
  #dropped = 0;

  constructor(inner: SpanExporter, where: string, now: () => number = Date.now) {
    this.#inner = inner;
    this.#where = where;
    this.#now = now;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.#succeeded();
      else this.#failed(spans.length, result.error);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  #failed(count: number, error: Error | undefined): void {
    const now = this.#now();
    this.#dropped += count;
    if (this.#failing && now - this.#warnedAt < EXPORT_WARNING_INTERVAL_MS) return;
    this.#failing = true;
    this.#warnedAt = now;
    const why = (error?.message ?? 'export failed').slice(0, 200);
    const message = `trace spans are not reaching the collector ${this.#where}: ${why}; ${this.#dropped} span(s) dropped so far`;
    publish<WarningEvent>(channels.warning, { source: 'telemetry', message });
  }

  #succeeded(): void {
    if (!this.#failing) return;
    const message = `trace export to ${this.#where} works again (${this.#dropped} span(s) were dropped while it failed)`;
    this.#failing = false;
    this.#dropped = 0;
    publish<WarningEvent>(channels.warning, { source: 'telemetry', message });
  }
}
