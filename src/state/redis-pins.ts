// Tool pins in Redis (when client sessions live there, so every replica checks against the same
// pins): one hash, `<keyPrefix>pins`, field `backend/tool`, value the pin as JSON.
import type { Redis } from 'ioredis';
import { parsePinRecord, pinKey, type PinRecord, type PinStore } from './pin-store.js';

export class RedisPinStore implements PinStore {
  readonly where: string;
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, keyPrefix: string, where: string) {
    this.#redis = redis;
    this.#key = `${keyPrefix}pins`;
    this.where = where;
  }

  async load(): Promise<PinRecord[]> {
    const all = await this.#redis.hgetall(this.#key);
    return Object.entries(all).map(([field, text]) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`the pin store ${this.where} entry ${field} is not valid JSON`);
      }
      return parsePinRecord(value, `${this.where} ${field}`);
    });
  }

  async save(records: readonly PinRecord[]): Promise<void> {
    if (records.length === 0) return;
    const fields: string[] = [];
    for (const r of records) fields.push(pinKey(r.backend, r.tool), JSON.stringify(r));
    await this.#redis.hset(this.#key, ...fields);
  }
}
