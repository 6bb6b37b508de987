// GET /status (the full StatusReport), GET /readyz (200 only when the phase is Ready or Degraded,
// so Kubernetes stops routing to a Failed or still-Pending gateway) and GET /api/backends/health
// (ToolHive's per-backend health document). /health stays a cheap liveness check in
// http-server.ts. All unauthenticated, like ToolHive's; they carry no secrets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendsHealthReport } from '../health/backends-health.js';
import type { StatusReport } from '../health/types.js';
import type { HttpRoute } from './http-server.js';
import { sendJson } from './responses.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const HEADERS = { 'x-content-type-options': 'nosniff' };

/** All sit behind the Host guard on a loopback bind: they name backends and their health. */
export function statusRoutes(status: () => StatusReport, backendsHealth: () => BackendsHealthReport): ReadonlyMap<string, HttpRoute> {
  const readyz: Route = (_req, res) => {
    const { phase, message } = status();
    const ready = phase === 'Ready' || phase === 'Degraded';
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', phase, message }, HEADERS);
  };
  const json =
    (body: () => unknown): Route =>
    (_req, res) =>
      sendJson(res, 200, body(), HEADERS);
  return new Map([
    ['/status', { route: json(status), guarded: true }],
    ['/readyz', { route: readyz, guarded: true }],
    ['/api/backends/health', { route: json(backendsHealth), guarded: true }],
  ]);
}
