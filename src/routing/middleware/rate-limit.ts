// Rate limits on tools/call (ToolHive's pkg/vmcp/ratelimit decorator): token buckets keyed on the
// real backend tool — the backend and its own name, however the call got there (a client, a
// composite step, call_tool, a script) — so lists and discovery are free and every path is
// metered alike. A call takes one token from every bucket that applies (server shared, server
// per-user, the tool's shared and per-user), all or nothing. It sits before the circuit gate, so a
// refusal never counts against the backend's health. A store failure lets the call through
// (ToolHive fails open: a rate limiter must not become an outage).
import { createHash } from 'node:crypto';
import type { Principal } from '../../auth/types.js';
import type { BucketConfig, RateLimitConfig } from '../../config/types.js';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import { channels, publish, type RateLimitEvent } from '../../observability/channels.js';
import { takeAll, type BucketStore, type BucketTake } from '../../state/buckets.js';
import type { Clock } from '../../state/clock.js';
import type { BackendTarget, CallMiddleware } from '../context.js';

interface Check {
  readonly take: BucketTake;
  /** Where the bucket is configured, for the error message. */
  readonly where: string;
  readonly scope: 'shared' | 'perUser' | 'tool-shared' | 'tool-perUser';
}

export interface RateLimitOptions {
  readonly config: RateLimitConfig;
  readonly store: BucketStore;
  readonly clock: Clock;
}

export function rateLimit(opts: RateLimitOptions): CallMiddleware {
  const tools = new Map(opts.config.tools.map((t, i) => [t.name, { limit: t, index: i }]));
  return (next) => async (call) => {
    if (call.method !== 'tools/call' || call.target.kind !== 'backend') return next(call);
    const target = call.target;
    const checks = checksFor(opts.config, tools.get(target.advertised), target, call.ctx.principal);
    if (checks.length === 0) return next(call);
    let decision;
    try {
      decision = await takeAll(
        opts.store,
        checks.map((c) => c.take),
        opts.clock.now(),
      );
    } catch (err) {
      observed('error', target);
      publish(channels.warning, { source: 'rateLimiting', message: `rate limit store failed, call allowed: ${String(err)}` });
      return next(call);
    }
    if (decision.allowed) {
      observed('allowed', target);
      return next(call);
    }
    const refused = checks[decision.rejected ?? 0]!;
    observed('rejected', target, refused.scope);
    throw refusal(refused, target, decision.retryAfterMs);
  };
}

function checksFor(
  config: RateLimitConfig,
  tool: { limit: RateLimitConfig['tools'][number]; index: number } | undefined,
  target: BackendTarget,
  principal: Principal,
): Check[] {
  // ToolHive keys per-user buckets on the authenticated subject; an anonymous caller has none.
  const user = principal.kind === 'anonymous' ? undefined : userKey(principal);
  const toolKey = `${target.backend}\u0000${target.name}`;
  const checks: Check[] = [];
  const add = (b: BucketConfig | undefined, key: string, where: string, scope: Check['scope']) => {
    if (b) checks.push({ take: { key, rule: { maxTokens: b.maxTokens, refillPeriodMs: b.refillPeriodMs } }, where, scope });
  };
  add(config.shared, 'rl:shared', 'rateLimiting.shared', 'shared');
  if (user) add(config.perUser, `rl:user:${user}`, 'rateLimiting.perUser', 'perUser');
  if (tool) {
    const at = `rateLimiting.tools[${tool.index}]`;
    add(tool.limit.shared, `rl:tool:${toolKey}`, `${at}.shared`, 'tool-shared');
    if (user) add(tool.limit.perUser, `rl:user-tool:${user}:${toolKey}`, `${at}.perUser`, 'tool-perUser');
  }
  return checks;
}

/** Issuer and subject, hashed: bounded keys, and no identity in a shared store's key space. */
function userKey(p: Principal): string {
  return createHash('sha256')
    .update(`${p.kind}\u0000${p.issuer ?? ''}\u0000${p.subject}`)
    .digest('base64url')
    .slice(0, 22);
}

function refusal(check: Check, target: BackendTarget, retryAfterMs: number): VmcpError {
  // ToolHive rounds up to whole seconds, at least 1 (pkg/ratelimit/internal/bucket RetryAfter).
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new VmcpError(
    ErrorCodes.RATE_LIMITED,
    `Rate limit exceeded for tool "${target.advertised}" (${check.where}): retry after ${retryAfterSeconds}s`,
    { limit: check.where, tool: target.advertised },
    { retryAfterSeconds },
  );
}

function observed(decision: RateLimitEvent['decision'], target: BackendTarget, scope?: string): void {
  publish(channels.rateLimit, { decision, backend: target.backend, tool: target.name, ...(scope ? { scope } : {}) });
}
