// GET /status (the full StatusReport) and GET /readyz (200 only when the phase is Ready or
// Degraded, so Kubernetes stops routing to a Failed or still-Pending gateway). /health stays a
// cheap liveness check in http-server.ts. All unauthenticated, like ToolHive's; they carry no secrets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusReport } from '../health/types.js';
import { sendJson } from './responses.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const HEADERS = { 'x-content-type-options': 'nosniff' };

export function statusRoutes(status: () => StatusReport): ReadonlyMap<string, Route> {
  return new Map<string, Route>([
    ['/status', (_req, res) => sendJson(res, 200, status(), HEADERS)],
    [
      '/readyz',
      (_req, res) => {
        const { phase, message } = status();
        const ready = phase === 'Ready' || phase === 'Degraded';
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', phase, message }, HEADERS);
      },
    ],
  ]);
}
