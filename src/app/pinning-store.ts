// The pin store a gateway uses (a JSON file, or the session storage's Redis) and the writer that
// feeds it: writes are queued in order, and pins a failed write did not store are written again
// with the next one (a warning says so; the gateway keeps checking against the pins it holds).
import type { Redis } from 'ioredis';
import type { RuntimeConfig } from '../config/types.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { FilePinStore, pinKey, type PinRecord, type PinStore } from '../state/pin-store.js';
import { connectRedis, whenReady } from '../state/redis-connection.js';
import { RedisPinStore } from '../state/redis-pins.js';
import { redisEndpoint, replicaIdOf } from './session-storage.js';

/** `shared`: the gateway's Redis connection (sessionStorage redis), used when pins go to Redis. */
export function openPinStore(config: RuntimeConfig, shared?: Redis): PinStore {
  const { store } = config.pinning;
  const redis = config.sessionStorage.redis;
  if (store.kind === 'file' || !redis) return new FilePinStore(store.kind === 'file' ? store.path : 'vmcp-pins.json');
  const connection = shared ?? connectRedis(redisEndpoint(redis), `vmcp-${replicaIdOf()}-pins`);
  const where = `Redis ${redis.host}:${redis.port}`;
  const inner = new RedisPinStore(connection, redis.keyPrefix, where);
  return {
    where,
    load: async () => {
      if (!(await whenReady(connection))) throw new Error(`${where} is unreachable`);
      return inner.load();
    },
    save: (records) => inner.save(records),
    close: async () => void (shared ? undefined : connection.disconnect()),
  };
}

/** Every pin of the store; a store that cannot be read refuses the start (pins are never silently empty). */
export async function loadPins(store: PinStore): Promise<PinRecord[]> {
  try {
    return await store.load();
  } catch (err) {
    await store.close?.();
    const why = err instanceof Error ? err.message : String(err);
    throw new VmcpError(ErrorCodes.CONFIG_INVALID, `aggregation.pinning: the pin store (${store.where}) could not be read: ${why}`);
  }
}

export class PinWriter {
  readonly #store: PinStore;
  #pending = new Map<string, PinRecord>();
  #chain: Promise<void> = Promise.resolve();

  constructor(store: PinStore) {
    this.#store = store;
  }

  write(records: readonly PinRecord[]): void {
    for (const r of records) this.#pending.set(pinKey(r.backend, r.tool), r);
    this.#chain = this.#chain.then(() => this.#flush());
  }

  /** Resolves when every write queued so far has been tried. */
  settled(): Promise<void> {
    return this.#chain;
  }

  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    try {
      await this.#store.save(batch);
    } catch (err) {
      for (const r of batch) if (!this.#pending.has(pinKey(r.backend, r.tool))) this.#pending.set(pinKey(r.backend, r.tool), r);
      const why = err instanceof Error ? err.message : String(err);
      publish<WarningEvent>(channels.warning, {
        source: 'pinning',
        message: `could not write ${batch.length} pin(s) to ${this.#store.where}: ${why}; they are kept in memory and written again with the next change`,
      });
    }
  }
}
