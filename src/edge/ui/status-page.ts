// GET / and /ui (the status page) and GET /api/stats (per-backend call stats), behind the same
// Host guard as /status: they name backends and their health. The page's script and style are
// allowed by hash and nothing else is (no inline handlers, no external origin).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../http-server.js';
import { sendJson } from '../responses.js';
import { STATUS_PAGE_SCRIPT, STATUS_PAGE_STYLE, statusPageHtml } from './status-page-html.js';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const CSP = [
  "default-src 'none'",
  `script-src ${sha256(STATUS_PAGE_SCRIPT)}`,
  `style-src ${sha256(STATUS_PAGE_STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function statusPageRoutes(stats: () => unknown): ReadonlyMap<string, HttpRoute> {
  const html = statusPageHtml();
  const page = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
  };
  const api = (_req: IncomingMessage, res: ServerResponse): void => sendJson(res, 200, stats(), { 'x-content-type-options': 'nosniff' });
  return new Map<string, HttpRoute>([
    ['/', { route: page, guarded: true }],
    ['/ui', { route: page, guarded: true }],
    ['/api/stats', { route: api, guarded: true }],
  ]);
}
