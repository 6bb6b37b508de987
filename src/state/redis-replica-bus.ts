// ReplicaBus on Redis pub/sub: each replica listens on its own channel and on a shared one. Pub/sub
// delivers at most once and only to replicas connected at that moment, which is what these
// messages need (each concerns something live: a call in flight, an open stream); a request whose
// answer does not come back within its bound fails with an error saying so.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JsonObject } from '../protocol/index.js';
import type { BusHandler, BusMessage, BusResponder, ReplicaBus } from './replica-bus.js';

/** Requests waiting for another replica's answer at most (each is also bounded in time). */
const MAX_PENDING = 10_000;

interface Waiting {
  resolve(value: JsonObject): void;
  reject(reason: Error): void;
  timer: NodeJS.Timeout;
}

export class RedisReplicaBus implements ReplicaBus {
  readonly replicaId: string;
  readonly shared = true;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #handlers = new Map<string, BusHandler>();
  readonly #responders = new Map<string, BusResponder>();
  readonly #waiting = new Map<string, Waiting>();
  #listeningSince: number | undefined;

  /** `sub` is a connection of its own (a subscribed connection can do nothing else). */
  constructor(pub: Redis, sub: Redis, keyPrefix: string, replicaId: string) {
    this.#pub = pub;
    this.#sub = sub;
    this.#prefix = `${keyPrefix}bus:`;
    this.replicaId = replicaId;
    // Commands are not queued while disconnected (redis-connection.ts): subscribe on every (re)connect.
    const subscribe = () =>
      void sub
        .subscribe(this.#channel('all'), this.#channel(`replica:${replicaId}`))
        .then(() => void (this.#listeningSince = Date.now()))
        .catch(() => undefined);
    sub.on('ready', subscribe);
    sub.on('close', () => void (this.#listeningSince = undefined));
    if (sub.status === 'ready') subscribe();
    sub.on('message', (_channel: string, text: string) => this.#receive(text));
  }

  /**
   * Since when this replica has heard every broadcast without a gap (the time its subscriptions
   * were last made); undefined while it is not subscribed. Pub/sub keeps nothing for a
   * disconnected subscriber, so what is known here from before then may have been missed.
   */
  get listeningSince(): number | undefined {
    return this.#listeningSince;
  }

  async send(replica: string, message: BusMessage): Promise<boolean> {
    const listeners = await this.#pub.publish(this.#channel(`replica:${replica}`), JSON.stringify({ ...message, from: this.replicaId }));
    return listeners > 0;
  }

  async broadcast(message: BusMessage): Promise<void> {
    await this.#pub.publish(this.#channel('all'), JSON.stringify({ ...message, from: this.replicaId }));
  }

  request(replica: string, message: BusMessage, timeoutMs: number): Promise<JsonObject> {
    if (this.#waiting.size >= MAX_PENDING) return Promise.reject(new Error(`too many requests to other replicas (limit ${MAX_PENDING})`));
    const requestId = randomUUID();
    return new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(requestId);
        reject(new Error(`replica ${replica.slice(0, 80)} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.#waiting.set(requestId, { resolve, reject, timer });
      this.send(replica, { ...message, requestId }).catch((err: unknown) => this.#settle(requestId, undefined, String(err)));
    });
  }

  on(kind: string, handler: BusHandler): void {
    this.#handlers.set(kind, handler);
  }

  respond(kind: string, responder: BusResponder): void {
    this.#responders.set(kind, responder);
  }

  async close(): Promise<void> {
    for (const id of [...this.#waiting.keys()]) this.#settle(id, undefined, 'this replica is shutting down');
    this.#sub.disconnect();
  }

  #receive(text: string): void {
    let message: BusMessage & { from?: string; requestId?: string; replyTo?: string };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.from === this.replicaId) return;
    if (message.kind === 'reply' && typeof message.requestId === 'string') {
      return this.#settle(message.requestId, message['result'] as JsonObject | undefined, message['error'] as string | undefined);
    }
    const responder = this.#responders.get(message.kind);
    if (responder && typeof message.requestId === 'string' && typeof message.from === 'string') {
      const reply = (body: JsonObject) => this.send(message.from!, { kind: 'reply', requestId: message.requestId!, ...body });
      void responder(message)
        .then(
          (result) => reply({ result }),
          (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
        )
        .catch(() => undefined);
      return;
    }
    this.#handlers.get(message.kind)?.(message);
  }

  #settle(requestId: string, result: JsonObject | undefined, error: string | undefined): void {
    const waiting = this.#waiting.get(requestId);
    if (!waiting) return;
    this.#waiting.delete(requestId);
    clearTimeout(waiting.timer);
    if (error !== undefined || result === undefined) waiting.reject(new Error(error ?? 'no answer'));
    else waiting.resolve(result);
  }

  #channel(name: string): string {
    return this.#prefix + name;
  }
}
