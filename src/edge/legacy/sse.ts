// Server-Sent Events on a Node response: the Streamable HTTP transport's stream format.
import type { ServerResponse } from 'node:http';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Comments keep idle streams open through proxies that drop quiet connections. */
export const KEEP_ALIVE_MS = 15_000;

export function writeEvent(res: ServerResponse, message: unknown): boolean {
  if (res.writableEnded || res.destroyed) return false;
  res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
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
