// Messages between the replicas that share session state: a client's answer to a server→client
// request that another replica sent, a notification for a session whose GET stream is open
// elsewhere, a session ended on one replica, a 2026-07-28 retry for a call parked on another.
// One replica needs none of it: LocalBus delivers nothing, and nothing is addressed to it.
import type { JsonObject } from '../protocol/index.js';

export interface BusMessage extends JsonObject {
  readonly kind: string;
}

export type BusHandler = (message: BusMessage) => void;
/** Answers a request from another replica; what it throws comes back as an error message. */
export type BusResponder = (message: BusMessage) => Promise<JsonObject>;

export interface ReplicaBus {
  /** This replica's name: part of the ids it hands out, so others know where to send answers. */
  readonly replicaId: string;
  /** True when other replicas may exist (messages are worth sending). */
  readonly shared: boolean;
  /** To one replica (fire and forget); false when no replica of that name was listening. */
  send(replica: string, message: BusMessage): Promise<boolean>;
  /** To every other replica. */
  broadcast(message: BusMessage): Promise<void>;
  /** Ask one replica and wait (bounded) for its answer. */
  request(replica: string, message: BusMessage, timeoutMs: number): Promise<JsonObject>;
  on(kind: string, handler: BusHandler): void;
  respond(kind: string, responder: BusResponder): void;
  close(): Promise<void>;
}

export class LocalBus implements ReplicaBus {
  readonly replicaId: string;
  readonly shared = false;

  constructor(replicaId = 'local') {
    this.replicaId = replicaId;
  }

  async send(): Promise<boolean> {
    return false;
  }
  async broadcast(): Promise<void> {}
  request(replica: string): Promise<JsonObject> {
    return Promise.reject(new Error(`replica ${replica.slice(0, 80)} is not reachable: no shared session storage`));
  }
  on(): void {}
  respond(): void {}
  async close(): Promise<void> {}
}
