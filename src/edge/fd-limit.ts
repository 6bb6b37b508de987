// The process's open-file limit (Linux: /proc/self/limits). A connection cap above it is no cap:
// the process runs out of descriptors first, and then /health and backends fail too. The edge
// keeps a reserve for backends, logs and the health probe.
import { readFileSync } from 'node:fs';

/** Descriptors kept free for everything that is not a client connection. */
export const FD_RESERVE = 64;

/** The soft limit on open files, or undefined where it cannot be read. */
export function openFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  try {
    const line = read()
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/** The connection cap that fits the descriptor limit (never below 16). */
export function effectiveMaxConnections(configured: number, limit = openFileLimit()): number {
  return limit === undefined ? configured : Math.max(16, Math.min(configured, limit - FD_RESERVE));
}
