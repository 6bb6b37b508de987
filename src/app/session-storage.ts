// Where client sessions live (`sessionStorage:`): memory for one replica; Redis for several, with
// the replica bus on Redis pub/sub so mid-call answers and notifications find the replica that
// needs them. Start-up does not wait for Redis: until it is reachable, sessions already known go
// on and new ones get 503 naming the cause (docs/scaling.md "Failure behaviour").
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { RedisStorageConfig, RuntimeConfig } from '../config/types.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { connectRedis, type RedisEndpoint } from '../state/redis-connection.js';
import { RedisReplicaBus } from '../state/redis-replica-bus.js';
import { RedisSessionStore } from '../state/redis-sessions.js';
import { LocalBus, type ReplicaBus } from '../state/replica-bus.js';
import { InMemorySessionStore, type SessionStore } from '../state/sessions.js';
import type { AsyncDisposableStack } from './disposable-stack.js';

export interface SessionState {
  readonly store: SessionStore;
  readonly bus: ReplicaBus;
  /** Sent as the `vmcp-replica` response header when sessions are shared (which replica served a request). */
  readonly replicaId?: string;
}

/** VMCP_REPLICA_ID names this replica (Kubernetes: the pod name); default host name and pid. */
export function replicaIdOf(env: NodeJS.ProcessEnv = process.env): string {
  const id = env['VMCP_REPLICA_ID'] ?? `${hostname()}-${process.pid}`;
  return id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
}

/** Where sessionStorage's Redis is; the password is revealed here, only to open a connection. */
export function redisEndpoint(redis: RedisStorageConfig): RedisEndpoint {
  return { host: redis.host, port: redis.port, db: redis.db, ...(redis.password ? { password: redis.password.reveal() } : {}) };
}

/**
 * The gateway's one Redis connection when sessions are in Redis (sessionStorage provider redis),
 * shared by the session store, the replica bus and the rate-limit buckets; undefined with memory.
 * It is registered on `stack`, so it closes after everything that uses it.
 */
export function openSharedRedis(config: RuntimeConfig, stack: AsyncDisposableStack): Redis | undefined {
  const redis = config.sessionStorage.redis;
  if (config.sessionStorage.provider === 'memory' || !redis) return undefined;
  const main = connectRedis(redisEndpoint(redis), `vmcp-${replicaIdOf()}`);
  warnWhileDown(main, `${redis.host}:${redis.port}`);
  stack.defer(() => void main.disconnect());
  return main;
}

/** `main`: the shared connection (openSharedRedis); the bus opens one more, for its subscriptions. */
export function createSessionState(config: RuntimeConfig, stack: AsyncDisposableStack, main?: Redis): SessionState {
  const { server, sessionStorage } = config;
  const ttl = { ttlMs: server.sessionTtlMs, initTimeoutMs: server.limits.sessionInitTimeoutMs };
  const redis = sessionStorage.redis;
  if (!main || !redis) return { store: stack.use(new InMemorySessionStore(ttl)), bus: new LocalBus() };
  const replicaId = replicaIdOf();
  const sub = connectRedis(redisEndpoint(redis), `vmcp-${replicaId}-bus`);
  const bus = stack.use(new RedisReplicaBus(main, sub, redis.keyPrefix, replicaId));
  const store = stack.use(new RedisSessionStore({ redis: main, keyPrefix: redis.keyPrefix, ...ttl, bus }));
  return { store, bus, replicaId };
}

/** One warning when Redis goes away and one when it is back (never the password: ioredis errors do not carry it). */
function warnWhileDown(redis: ReturnType<typeof connectRedis>, address: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    publish<WarningEvent>(channels.warning, { source: 'sessionStorage', message: `Redis at ${address} is unreachable: ${err.message}` });
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    publish<WarningEvent>(channels.warning, { source: 'sessionStorage', message: `Redis at ${address} is reachable again` });
  });
}
