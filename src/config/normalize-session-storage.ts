// `sessionStorage:` → SessionStorageConfig. The password never sits in the file: it is read from
// the environment variable `passwordEnv` names (ToolHive's THV_SESSION_REDIS_PASSWORD by default).
import type { UserSessionStorage } from './schema-session-storage.js';
import { Secret } from './secret.js';
import type { SessionStorageConfig } from './types-session-storage.js';

export const DEFAULT_SESSION_KEY_PREFIX = 'thv:vmcp:session:';
export const DEFAULT_SESSION_PASSWORD_ENV = 'THV_SESSION_REDIS_PASSWORD';

export function normalizeSessionStorage(
  user: UserSessionStorage | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SessionStorageConfig {
  if (user === undefined || user.provider === 'memory' || user.address === undefined) return { provider: 'memory' };
  const at = user.address.lastIndexOf(':');
  const password = env[user.passwordEnv ?? DEFAULT_SESSION_PASSWORD_ENV];
  return {
    provider: 'redis',
    redis: {
      host: user.address.slice(0, at),
      port: Number(user.address.slice(at + 1)),
      db: user.db ?? 0,
      keyPrefix: user.keyPrefix ?? DEFAULT_SESSION_KEY_PREFIX,
      ...(password ? { password: new Secret(password) } : {}),
    },
  };
}
