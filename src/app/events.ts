// How the parts of a running gateway tell each other what happened, without holding references to
// each other: a small typed emitter created first and handed to everything that publishes or
// listens (no late-bound wiring).
import { EventEmitter } from 'node:events';
import type { ListKind } from '../backends/connector.js';
import type { HealthChange } from '../health/monitor.js';
import type { JsonObject } from '../protocol/index.js';

export interface GatewayEventMap {
  /** The catalog changed what clients see (already damped: at most one announcement a second). */
  listChanged: [kinds: readonly ListKind[]];
  /** A backend said a resource changed (goes to the sessions subscribed to it). */
  resourceUpdated: [uri: string, params: JsonObject];
  /** A backend's health or circuit changed. */
  health: [change: HealthChange];
}

export class GatewayEvents extends EventEmitter<GatewayEventMap> {
  constructor() {
    super({ captureRejections: false });
    this.setMaxListeners(64);
  }

  close(): void {
    this.removeAllListeners();
  }
}
