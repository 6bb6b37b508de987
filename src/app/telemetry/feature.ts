// Telemetry as a Feature: Prometheus metrics (on unless `telemetry.metricsEnabled: false`) and
// OpenTelemetry traces (only with `tracingEnabled` and an endpoint), both in the chain's `outer`
// slot so they see every call, denied ones too. Off = not in the chain at all: no cost per call.
import { Registry } from 'prom-client';
import type { CallMiddleware } from '../../routing/context.js';
import type { Feature, FeatureDeps } from '../features.js';
import { callMetricsMiddleware } from './call-metrics.js';
import { callMetrics } from './metrics.js';
import { listenMetrics, metricsRoute, type MetricsListener } from './metrics-server.js';
import { stateMetrics } from './state-metrics.js';
import { traceMiddleware } from './trace-middleware.js';
import { createTracer } from './tracing.js';

export function telemetryFeature(deps: FeatureDeps): Feature | undefined {
  const t = deps.config.telemetry;
  if (t.metrics === 'off' && !t.tracing) return undefined;
  const outer: CallMiddleware[] = [];
  const closers: (() => unknown)[] = [];
  const tracer = t.tracing ? createTracer(t, t.tracing) : undefined;
  if (tracer) {
    outer.push(traceMiddleware(tracer.tracer));
    closers.push(() => tracer.shutdown());
  }
  const registry = t.metrics === 'off' ? undefined : new Registry();
  if (registry) {
    outer.push(callMetricsMiddleware(callMetrics(registry), () => deps.catalogs.fullCatalog));
    const backends = deps.config.backends.map((b) => b.name);
    closers.push(
      stateMetrics(registry, {
        backends,
        connectors: deps.connectors,
        monitor: deps.monitor,
        catalogs: deps.catalogs,
        events: deps.events,
      }),
    );
  }
  const onGatewayPort = registry && (t.metrics === 'gateway-port' || t.metrics === 'both');
  let listener: MetricsListener | undefined;
  return {
    name: 'telemetry',
    outer,
    ...(onGatewayPort ? { routes: new Map([['/metrics', { route: metricsRoute(registry), guarded: true }]]) } : {}),
    async start() {
      if (registry && t.prometheusPort !== undefined) listener = await listenMetrics(registry, deps.config.server, t.prometheusPort);
    },
    async close() {
      await listener?.close();
      for (const close of closers.reverse()) await close();
    },
  };
}
