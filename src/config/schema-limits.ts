// Bounds on every resource a client or a backend can make the gateway spend (house rule 9). Each
// has a documented default (defaults.ts) and every refusal names the key that applied.
import { z } from 'zod';
import { duration } from './schema-common.js';

const positiveInt = z.number().int().min(1);

export const serverLimitsSchema = z
  .strictObject({
    maxSessions: positiveInt
      .optional()
      .describe('Live 2025-era client sessions at most (default 10000); beyond it new sessions get 503 with Retry-After.'),
    maxSessionsPerPrincipal: positiveInt
      .optional()
      .describe(
        'Live sessions per authenticated principal, or per remote address for anonymous callers (default 1000); beyond it 429 with Retry-After.',
      ),
    sessionInitTimeout: duration
      .optional()
      .describe('A session that has not sent notifications/initialized within this is dropped (default 10s).'),
    maxJsonDepth: z
      .number()
      .int()
      .min(8)
      .max(10_000)
      .optional()
      .describe('Deepest nesting accepted in a request body (default 64); deeper gets 400.'),
    maxConnections: positiveInt.optional().describe('Open client connections at most (default 1024).'),
    headersTimeout: duration
      .optional()
      .describe('A connection must send a complete request head within this, or it is closed (default 10s).'),
    keepAliveTimeout: duration.optional().describe('An idle keep-alive connection is closed after this (default 5s).'),
  })
  .describe('Bounds on what clients can make the gateway hold.');

export const backendLimitsSchema = z
  .strictObject({
    maxResultBytes: z
      .number()
      .int()
      .min(1024)
      .optional()
      .describe('Largest result one call may return, enforced while reading (default 16 MiB); a larger one fails that call only.'),
    stderrLinesPerSecond: positiveInt
      .optional()
      .describe('stdio backends: stderr lines logged per second at most (default 100); the rest are counted.'),
    notificationsPerSecond: positiveInt.optional().describe('Progress and log messages relayed per call per second at most (default 100).'),
    exclusiveWait: duration
      .optional()
      .describe("Longest a call waits behind another session's interactive call on a shared connection (default 5s)."),
  })
  .describe('Bounds on what a backend can make the gateway hold.');
