// `telemetry:` → TelemetryConfig. Metrics are on unless switched off; traces only with
// tracingEnabled and an endpoint. Header values become Secrets (they are often API keys).
import type { UserTelemetry } from './schema-telemetry.js';
import { Secret } from './secret.js';
import type { MetricsMode, TelemetryConfig, TracingConfig } from './types-telemetry.js';

/** ToolHive's default sampling rate (pkg/telemetry DefaultConfig). */
export const DEFAULT_SAMPLING_RATE = 0.05;
export const DEFAULT_SERVICE_NAME = 'vmcp';

export function normalizeTelemetry(user: UserTelemetry | undefined): TelemetryConfig {
  const tracing = user?.tracingEnabled === true && user.endpoint !== undefined ? tracingOf(user, user.endpoint) : undefined;
  const metrics = metricsMode(user);
  return {
    metrics,
    ...(metrics === 'own-port' || metrics === 'both' ? { prometheusPort: user!.prometheusPort! } : {}),
    ...(tracing ? { tracing } : {}),
    serviceName: user?.serviceName ?? DEFAULT_SERVICE_NAME,
    ...(user?.serviceVersion === undefined ? {} : { serviceVersion: user.serviceVersion }),
    customAttributes: { ...user?.customAttributes },
  };
}

function metricsMode(user: UserTelemetry | undefined): MetricsMode {
  if (user?.metricsEnabled === false) return 'off';
  const onGatewayPort = user?.enablePrometheusMetricsPath !== false;
  const ownPort = user?.prometheusPort !== undefined;
  if (onGatewayPort && ownPort) return 'both';
  if (ownPort) return 'own-port';
  return onGatewayPort ? 'gateway-port' : 'off';
}

function tracingOf(user: UserTelemetry, endpoint: string): TracingConfig {
  const headers: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(user.headers ?? {})) headers[name] = new Secret(value);
  return { url: tracesUrl(endpoint, user.insecure === true), headers, samplingRate: Number(user.samplingRate ?? DEFAULT_SAMPLING_RATE) };
}

/** host:port → http(s)://host:port/v1/traces; a URL without a path gets /v1/traces (the OTLP/HTTP default). */
export function tracesUrl(endpoint: string, insecure: boolean): string {
  const withScheme = /^https?:\/\//.test(endpoint) ? endpoint : `${insecure ? 'http' : 'https'}://${endpoint}`;
  const url = new URL(withScheme);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}
