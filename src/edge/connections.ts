// Bounds on client connections (server.limits): at most `maxConnections` open (never more than the
// open-file limit allows), a connection that sends nothing is closed after `headersTimeout` (a
// first-byte timeout: idle sockets cost descriptors and need no token to open), idle keep-alive
// connections after `keepAliveTimeout`. At the cap, a connection that has not sent a byte yet
// makes room first — the oldest such one is closed — so a flood of silent sockets cannot lock
// real clients out; only when every connection is in use is the newcomer refused.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimits } from '../config/types.js';
import { channels, publish, type RefusedEvent, type WarningEvent } from '../observability/channels.js';
import { effectiveMaxConnections } from './fd-limit.js';

export function applyConnectionLimits(server: Server, limits: ServerLimits): void {
  const cap = effectiveMaxConnections(limits.maxConnections);
  if (cap < limits.maxConnections) {
    const message = `server.limits.maxConnections ${limits.maxConnections} is above what the open-file limit allows; using ${cap}`;
    publish<WarningEvent>(channels.warning, { source: 'edge', message });
  }
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // A long-lived SSE stream is a request whose body was received long ago: no request timeout.
  server.requestTimeout = 0;
  const silent = new Set<Socket>(); // insertion order: oldest first
  let open = 0;
  server.on('connection', (socket: Socket) => {
    open += 1;
    socket.once('close', () => {
      open -= 1;
      silent.delete(socket);
    });
    if (open > cap) {
      publish<RefusedEvent>(channels.refused, { limit: 'server.limits.maxConnections' });
      const oldest = silent.values().next().value;
      if (!oldest) return void socket.destroy();
      oldest.destroy();
    }
    silent.add(socket);
    const timer = setTimeout(() => socket.destroy(), limits.headersTimeoutMs);
    timer.unref();
    socket.once('data', () => {
      silent.delete(socket);
      clearTimeout(timer);
    });
    socket.once('close', () => clearTimeout(timer));
  });
}
