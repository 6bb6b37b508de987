// `aggregation.pinning` and `aggregation.pinStore`: tool definitions pinned on first sight (a hash of
// name, description, schemas and annotations), and what a later change of a pinned tool does.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { PinningConfig } from './types-pinning.js';
import type { SessionStorageConfig } from './types-session-storage.js';

export const PINNING_DEFAULTS = Object.freeze({ policy: 'off', file: 'vmcp-pins.json' } as const);

export const pinningKeys = {
  pinning: z
    .enum(['off', 'warn', 'hide', 'quarantine'])
    .optional()
    .describe(
      'Tool pinning: what a backend changing a pinned tool definition does. off (default), warn (log, audit, metric; still served), hide (held back until approved), quarantine (all tools of that backend held back until approved).',
    ),
  pinStore: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The pin store file (relative to the config file). Default: vmcp-pins.json next to the config, or the session storage Redis when sessionStorage.provider is redis.',
    ),
  pinApprovers: z
    .array(z.string().min(1).max(256))
    .min(1)
    .optional()
    .describe(
      'Who may approve pin changes (POST /api/pins/approve): principal subjects (API key names, OIDC sub). Default: any caller the incoming auth admits.',
    ),
};

export function normalizePinning(
  user:
    | {
        readonly pinning?: PinningConfig['policy'] | undefined;
        readonly pinStore?: string | undefined;
        readonly pinApprovers?: readonly string[] | undefined;
      }
    | undefined,
  sessionStorage: SessionStorageConfig,
  baseDir: string,
): PinningConfig {
  const policy = user?.pinning ?? PINNING_DEFAULTS.policy;
  const approvers = user?.pinApprovers === undefined ? {} : { approvers: [...new Set(user.pinApprovers)] };
  const file = user?.pinStore;
  if (file === undefined && sessionStorage.provider === 'redis') return { policy, store: { kind: 'redis' }, ...approvers };
  const path = file ?? PINNING_DEFAULTS.file;
  return { policy, store: { kind: 'file', path: isAbsolute(path) ? path : resolve(baseDir, path) }, ...approvers };
}
