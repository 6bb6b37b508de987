// A 2026-07-28 backend sends no unsolicited notifications: list changes arrive only on a
// subscriptions/listen stream the client opens. The connector keeps one open while connected, so
// notifications/*/list_changed reach it (fallbackNotificationHandler) exactly as from a 2025-era
// backend, and the catalog follows. The stream is re-opened when it drops while the connection
// stays; a new connection opens its own.
import type { Client } from '@modelcontextprotocol/client';
import type { JsonObject } from './connector.js';

/** Pause before re-opening a dropped stream, doubled while the backend refuses it. */
const RELISTEN_DELAY_MS = 1000;
const MAX_RELISTEN_DELAY_MS = 30_000;

type Filter = { toolsListChanged?: boolean; promptsListChanged?: boolean; resourcesListChanged?: boolean };

/** What to listen for: the lists the backend says it announces changes of. */
export function listenFilter(capabilities: JsonObject): Filter {
  const announces = (kind: string) => (capabilities[kind] as JsonObject | undefined)?.['listChanged'] === true;
  return {
    ...(announces('tools') ? { toolsListChanged: true } : {}),
    ...(announces('prompts') ? { promptsListChanged: true } : {}),
    ...(announces('resources') ? { resourcesListChanged: true } : {}),
  };
}

/** Keep a subscriptions/listen stream open on `client` while `current()` says it is in use. */
export function keepListening(client: Client, capabilities: JsonObject, current: () => boolean): void {
  const filter = listenFilter(capabilities);
  if (Object.keys(filter).length === 0) return;
  let delay = RELISTEN_DELAY_MS;
  const open = async (): Promise<void> => {
    if (!current()) return;
    try {
      const subscription = await client.listen(filter);
      delay = RELISTEN_DELAY_MS;
      await subscription.closed;
    } catch {
      // refused, or the connection is gone: retried below while the connection is still ours
      delay = Math.min(delay * 2, MAX_RELISTEN_DELAY_MS);
    }
    if (current()) setTimeout(() => void open(), delay).unref();
  };
  void open();
}
