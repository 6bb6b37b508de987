// Reads an audit log file (one JSON event per line) as the tests see its events.
import { readFile } from 'node:fs/promises';

export interface AuditEvent {
  type: string;
  outcome: string;
  subjects: Record<string, string>;
  component: string;
  target?: Record<string, string>;
  source: { type: string; value: string };
  metadata: { auditId: string; extra?: Record<string, unknown> };
  data?: { request?: unknown; response?: unknown };
}

/** Every event in the file so far (none while it does not exist yet). */
export const auditEvents = async (file: string): Promise<AuditEvent[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
