// Server-Sent Events on a Node response: the Streamable HTTP transport's stream format.
import type { ServerResponse } from 'node:http';
import type { JsonObject } from '../../protocol/index.js';
import { jsonBody } from '../list-body.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Comments keep idle streams open through proxies that drop quiet connections. */
export const KEEP_ALIVE_MS = 15_000;

export function writeEvent(res: ServerResponse, message: JsonObject): boolean {
  if (res.writableEnded || res.destroyed) return false;
  const body = jsonBody(message);
  if (typeof body === 'string') {
    res.write(`event: message\ndata: ${body}\n\n`);
    return true;
  }
  // JSON text holds no raw line break, so the pieces make one data line.
  res.cork();
  res.write('event: message\ndata: ');
  for (const piece of body) res.write(piece);
  res.write('\n\n');
  res.uncork();
  return true;
}

export function startKeepAlive(res: ServerResponse): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write(': keepalive\n\n');
  }, KEEP_ALIVE_MS);
  timer.unref();
  res.once('close', () => clearInterval(timer));
  return timer;
}
