// `telemetry:` — Prometheus metrics and OpenTelemetry traces, with ToolHive's keys (pkg/telemetry
// Config: endpoint, serviceName, serviceVersion, tracingEnabled, metricsEnabled, samplingRate,
// headers, insecure, customAttributes, enablePrometheusMetricsPath, prometheusPort). Absent =
// metrics on GET /metrics of the gateway port, no traces.
import { z } from 'zod';
import { headerName } from './schema-common.js';

/** Headers sent with every OTLP export (ToolHive has no limit; 32 keeps the request bounded). */
export const MAX_TELEMETRY_HEADERS = 32;
/** Resource attributes added to every span (bounded: each goes into every export). */
export const MAX_CUSTOM_ATTRIBUTES = 64;

// ToolHive serializes samplingRate as a string ("0.1") because CRDs have no portable floats.
const rate = z
  .union([z.number(), z.string().regex(/^([0-9]*[.])?[0-9]+$/, 'must be a decimal number such as "0.1"')])
  .refine((v) => Number(v) >= 0 && Number(v) <= 1, 'must be between 0 and 1 (the share of traces kept)');

// host:port as ToolHive writes it ("localhost:4318"), or a full http(s) URL.
const endpoint = z
  .string()
  .min(1)
  .regex(/^(https?:\/\/)?[^\s/?#]+(\/[^\s?#]*)?$/, 'must be host:port (e.g. "localhost:4318") or an http(s):// URL');

const noLineBreaks = z
  .string()
  .max(8192)
  .regex(/^[^\r\n\0]*$/, 'must not contain line breaks or NUL');

export const telemetrySchema = z
  .strictObject({
    endpoint: endpoint.optional().describe('OTLP/HTTP collector, host:port or URL (traces go to <endpoint>/v1/traces).'),
    serviceName: z.string().min(1).max(256).optional().describe('service.name of every span (default vmcp).'),
    serviceVersion: z.string().min(1).max(256).optional().describe("service.version of every span (default: vmcp's version)."),
    tracingEnabled: z.boolean().optional().describe('Export traces to endpoint (default false; needs endpoint).'),
    metricsEnabled: z.boolean().optional().describe('Prometheus metrics (default true).'),
    samplingRate: rate.optional().describe('Share of new traces kept, 0-1 (default 0.05, as ToolHive); a sampled parent is always kept.'),
    headers: z
      .record(headerName, noLineBreaks)
      .refine((h) => Object.keys(h).length <= MAX_TELEMETRY_HEADERS, `at most ${MAX_TELEMETRY_HEADERS} headers`)
      .optional()
      .describe('Headers on every OTLP export, e.g. an API key (values may use ${VAR}; never logged).'),
    insecure: z.boolean().optional().describe('A host:port endpoint is reached over plain http (default false: https).'),
    customAttributes: z
      .record(z.string().min(1).max(256), z.string().max(1024))
      .refine((a) => Object.keys(a).length <= MAX_CUSTOM_ATTRIBUTES, `at most ${MAX_CUSTOM_ATTRIBUTES} attributes`)
      .optional()
      .describe('Resource attributes on every span (e.g. deployment.environment: prod).'),
    enablePrometheusMetricsPath: z.boolean().optional().describe('Serve GET /metrics on the gateway port (default true).'),
    prometheusPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('Also serve GET /metrics on this port of server.host (its own listener, same Host guard).'),
  })
  .superRefine((t, ctx) => {
    if (t.tracingEnabled === true && t.endpoint === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'is required when tracingEnabled is true' });
    }
  })
  .describe('Prometheus metrics and OpenTelemetry traces (ToolHive telemetry keys).');

export type UserTelemetry = z.infer<typeof telemetrySchema>;
