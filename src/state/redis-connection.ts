// One ioredis connection with fail-fast settings: a command never waits in an offline queue, so a
// Redis outage shows up at once as an error the caller can act on (serve known sessions from
// memory, refuse new ones with 503) instead of as requests that hang. Reconnection goes on in the
// background with a capped backoff; timeouts follow ToolHive's client (dial 5 s, commands 3 s).
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

type IoRedis = typeof import('ioredis');
let ioredis: IoRedis | undefined;
/** ioredis is loaded on the first connection: a gateway that uses no Redis never carries it (~8 MB of heap). */
const loadIoRedis = (): IoRedis => (ioredis ??= createRequire(import.meta.url)('ioredis') as IoRedis);

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** Revealed only here, when the connection is opened. */
  readonly password?: string;
}

const DIAL_TIMEOUT_MS = 5000;
const COMMAND_TIMEOUT_MS = 3000;
const MAX_BACKOFF_MS = 2000;

export function connectRedis(endpoint: RedisEndpoint, name: string): Redis {
  const redis = new (loadIoRedis().Redis)({
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    ...(endpoint.password === undefined ? {} : { password: endpoint.password }),
    connectionName: name,
    connectTimeout: DIAL_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_BACKOFF_MS),
  });
  // Errors surface on the commands; the connection's own 'error' events would otherwise crash the process.
  redis.on('error', () => undefined);
  return redis;
}

/** Wait (bounded) until the connection is ready; false when it is not. */
export async function whenReady(redis: Redis, timeoutMs = DIAL_TIMEOUT_MS): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    timer.unref();
    const onReady = () => finish(true);
    function finish(ok: boolean) {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    }
    redis.once('ready', onReady);
  });
}
