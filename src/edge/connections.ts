// Bounds on client connections (server.limits): at most `maxConnections` open, a connection that
// sends nothing is closed after `headersTimeout` (a first-byte timeout: idle sockets cost file
// descriptors and need no token to open), idle keep-alive connections after `keepAliveTimeout`.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimits } from '../config/types.js';

export function applyConnectionLimits(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // A long-lived SSE stream is a request whose body was received long ago: no request timeout.
  server.requestTimeout = 0;
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), limits.headersTimeoutMs);
    timer.unref();
    socket.once('data', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
}
