// The OpenTelemetry tracer of one gateway: its own provider (never the global one, so nothing
// else in the process is traced by accident), a parent-based ratio sampler, and a batching
// OTLP/HTTP exporter with bounded memory.
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig, TracingConfig } from '../../config/types.js';
import { channels, publish, type WarningEvent } from '../../observability/channels.js';
import { VERSION } from '../version.js';
import { ReportingExporter } from './reporting-exporter.js';

/** Spans waiting for export at most; past it new spans are dropped (a collector that is down costs bounded memory). */
export const MAX_QUEUED_SPANS = 2048;
/** Spans per export request. */
export const MAX_EXPORT_BATCH = 512;
/** How often queued spans are sent. */
export const EXPORT_INTERVAL_MS = 1000;
/** One export request's timeout. */
export const EXPORT_TIMEOUT_MS = 10_000;
/** How long shutdown waits for the last spans to reach the collector. */
export const SHUTDOWN_FLUSH_MS = 3000;

export interface GatewayTracer {
  readonly tracer: Tracer;
  /** Sends what is queued (within SHUTDOWN_FLUSH_MS) and stops; never rejects: spans it could not send are a warning. */
  shutdown(): Promise<void>;
}

export function createTracer(telemetry: TelemetryConfig, tracing: TracingConfig): GatewayTracer {
  const headers = Object.fromEntries(Object.entries(tracing.headers).map(([k, v]) => [k, v.reveal()]));
  const exporter = new ReportingExporter(
    new OTLPTraceExporter({ url: tracing.url, headers, timeoutMillis: EXPORT_TIMEOUT_MS }),
    collectorAddress(tracing.url),
  );
  const version = telemetry.serviceVersion ?? VERSION;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...telemetry.customAttributes,
      'service.name': telemetry.serviceName,
      'service.version': version,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.samplingRate) }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: MAX_QUEUED_SPANS,
        maxExportBatchSize: MAX_EXPORT_BATCH,
        scheduledDelayMillis: EXPORT_INTERVAL_MS,
        exportTimeoutMillis: EXPORT_TIMEOUT_MS,
      }),
    ],
  });
  return { tracer: provider.getTracer('vmcp', VERSION), shutdown: () => flushAndStop(provider, collectorAddress(tracing.url)) };
}

/** The collector's address without any userinfo or query (export headers may carry credentials; they are never named). */
function collectorAddress(url: string): string {
  if (!URL.canParse(url)) return '(unparsable endpoint)';
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

async function flushAndStop(provider: BasicTracerProvider, where: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`not sent within ${SHUTDOWN_FLUSH_MS} ms`), SHUTDOWN_FLUSH_MS);
  });
  const stopped = provider.shutdown().then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  const failure = await Promise.race([stopped, bound]).finally(() => clearTimeout(timer));
  if (failure === undefined) return;
  publish<WarningEvent>(channels.warning, {
    source: 'telemetry',
    message: `queued trace spans were dropped at shutdown: ${where}: ${failure}`,
  });
}
