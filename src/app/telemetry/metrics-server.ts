// GET /metrics: the route on the gateway port, and the small listener of its own on
// `telemetry.prometheusPort` (same host and Host/Origin guard as the gateway's /status).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ServerConfig } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import { createRebindingGuard } from '../../edge/guards.js';
import type { Route } from '../../edge/http-server.js';
import { sendError } from '../../edge/responses.js';
import { processMetrics } from './metrics.js';

/** Connections the metrics listener holds at most (scrapers are few; a flood cannot take descriptors). */
export const METRICS_MAX_CONNECTIONS = 32;
/** A scrape request must arrive within this (headers and body). */
export const METRICS_REQUEST_TIMEOUT_MS = 10_000;

/** The gateway's own series, then the process's (one exposition: the same scrape sees both). */
export function metricsRoute(registry: Registry): Route {
  return async (_req, res) => {
    const body = `${await registry.metrics()}\n${await processMetrics().metrics()}`;
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
}

export interface MetricsListener {
  readonly url: string;
  close(): Promise<void>;
}

export async function listenMetrics(registry: Registry, server: ServerConfig, port: number): Promise<MetricsListener> {
  const guard = createRebindingGuard(server.host, server.allowedHosts, server.allowedOrigins);
  const route = metricsRoute(registry);
  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const refused =
      path !== '/metrics'
        ? new VmcpError(ErrorCodes.NOT_FOUND, 'Not found: this port serves /metrics only')
        : req.method !== 'GET' && req.method !== 'HEAD'
          ? new VmcpError(ErrorCodes.METHOD_NOT_ALLOWED, `Method ${req.method} not allowed on /metrics (use GET)`)
          : guard(req);
    if (refused) return sendError(res, refused);
    route(req, res)?.catch((err: unknown) => sendError(res, err));
  });
  http.maxConnections = METRICS_MAX_CONNECTIONS;
  http.requestTimeout = METRICS_REQUEST_TIMEOUT_MS;
  http.headersTimeout = METRICS_REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err) => reject(new Error(`telemetry.prometheusPort ${port} on ${server.host}: ${err.message}`, { cause: err })));
    http.listen(port, server.host, () => resolve());
  });
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return {
    url: `http://${host}:${(http.address() as AddressInfo).port}/metrics`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve()).closeAllConnections()),
  };
}
