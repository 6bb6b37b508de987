// `sessionStorage:` where 2025-era client sessions live (ToolHive's key): in this process's memory
// (one replica), or in Redis so several replicas behind a plain load balancer share them.
import { z } from 'zod';

export const sessionStorageSchema = z
  .strictObject({
    provider: z.enum(['memory', 'redis']).describe('memory (default): one replica; redis: sessions shared by every replica.'),
    address: z
      .string()
      .regex(/^[^\s:/]+:\d{1,5}$/, 'host:port')
      .optional()
      .describe('Redis host:port (required for provider redis).'),
    db: z.number().int().min(0).max(15).optional().describe('Redis database number (default 0).'),
    keyPrefix: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Prefix of every Redis key and channel vmcp uses (default thv:vmcp:session:).'),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .describe('Environment variable holding the Redis password (default THV_SESSION_REDIS_PASSWORD; unset = no AUTH).'),
  })
  .refine((s) => s.provider !== 'redis' || s.address !== undefined, { message: 'sessionStorage.address is required for provider redis' })
  .describe('Where client sessions live: memory (one replica) or redis (shared by replicas; docs/scaling.md).');

export type UserSessionStorage = z.infer<typeof sessionStorageSchema>;
