// Structured logs: pino (JSON lines on stderr, so stdout stays free for `serve --stdio`)
// subscribed to the diagnostics channels the domain code publishes on (house rule 13).
import diagnostics from 'node:diagnostics_channel';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/types.js';
import { prettyStream } from './log-format.js';
import {
  channels,
  type BackendHealthEvent,
  type BackendStateEvent,
  type BackendStderrEvent,
  type CallEvent,
  type CatalogEvent,
  type SessionEvent,
  type StatusEvent,
  type WarningEvent,
} from '../observability/channels.js';

export interface LogSubscription {
  logger: Logger;
  close(): void;
}

export type LogFormat = 'json' | 'pretty';

export function subscribeLogger(
  level: LogLevel,
  format: LogFormat = 'json',
  destination: NodeJS.WritableStream = process.stderr,
): LogSubscription {
  const out = format === 'pretty' ? prettyStream(destination) : destination;
  const logger = pino({ level, base: { service: 'vmcp' } }, out as never);
  const handlers: [diagnostics.Channel, (msg: unknown) => void][] = [
    [
      channels.backendState,
      (m) => {
        const e = m as BackendStateEvent;
        const level = e.to === 'down' ? 'warn' : 'info';
        logger[level](
          { backend: e.backend, from: e.from, to: e.to, reason: e.reason, retryInMs: e.retryInMs, attempt: e.attempt },
          `backend ${e.backend}: ${e.from} → ${e.to}`,
        );
      },
    ],
    [
      channels.backendHealth,
      (m) => {
        const e = m as BackendHealthEvent;
        const level = e.to === 'unhealthy' || e.circuit === 'open' ? 'warn' : 'info';
        logger[level](
          { backend: e.backend, from: e.from, to: e.to, circuit: e.circuit, reason: e.reason },
          `backend ${e.backend} health: ${e.from} → ${e.to}${e.circuit === 'closed' ? '' : ` (circuit ${e.circuit})`}`,
        );
      },
    ],
    [
      channels.backendStderr,
      (m) => {
        const e = m as BackendStderrEvent;
        logger.info({ backend: e.backend, stream: 'stderr' }, e.line);
      },
    ],
    [
      channels.catalog,
      (m) => {
        const e = m as CatalogEvent;
        logger.info(
          { version: e.version, tools: e.tools, prompts: e.prompts, resources: e.resources, templates: e.templates, changed: e.changed },
          'catalog rebuilt',
        );
        for (const w of e.warnings) logger.warn({ catalog: e.version }, w);
      },
    ],
    [
      channels.call,
      (m) => {
        const e = m as CallEvent;
        logger[e.outcome === 'ok' ? 'debug' : 'warn'](
          { method: e.method, backend: e.backend, name: e.name, ms: Math.round(e.durationMs * 10) / 10, error: e.error },
          `${e.method} ${e.name} → ${e.backend}: ${e.outcome}`,
        );
      },
    ],
    [
      channels.session,
      (m) => {
        const e = m as SessionEvent;
        logger.debug({ session: e.sessionId, era: e.era }, `session ${e.event}`);
      },
    ],
    [
      channels.status,
      (m) => {
        const e = m as StatusEvent;
        logger[e.changed ? (e.phase === 'Failed' ? 'warn' : 'info') : 'debug'](
          { phase: e.phase, from: e.from, routable: e.routable },
          `status ${e.phase}: ${e.message}`,
        );
      },
    ],
    [
      channels.warning,
      (m) => {
        const e = m as WarningEvent;
        logger.warn({ source: e.source }, e.message);
      },
    ],
  ];
  for (const [ch, fn] of handlers) ch.subscribe(fn);
  return { logger, close: () => handlers.forEach(([ch, fn]) => ch.unsubscribe(fn)) };
}
