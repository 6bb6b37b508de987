// The 2025-era handshake: version negotiation (the client's revision when the gateway speaks it,
// else the latest it speaks) and the session record it creates.
import type { Principal } from '../../auth/types.js';
import { LATEST_LEGACY_REVISION, LEGACY_REVISIONS, isObject, type JsonObject } from '../../protocol/index.js';
import type { SessionOwner, SessionRecord } from '../../state/sessions.js';
import type { GatewayCore } from '../core.js';

export function initializeResult(core: GatewayCore, protocolVersion: string): JsonObject {
  const instructions = core.instructions();
  return {
    protocolVersion,
    capabilities: core.capabilities(),
    serverInfo: core.serverInfo,
    ...(instructions ? { instructions } : {}),
  };
}

export function newRecord(id: string, params: JsonObject, principal: Principal, quotaKey: string): SessionRecord {
  const requested = params['protocolVersion'];
  const info = isObject(params['clientInfo']) ? params['clientInfo'] : undefined;
  const now = Date.now();
  return {
    id,
    era: 'legacy',
    protocolVersion: typeof requested === 'string' && LEGACY_REVISIONS.includes(requested) ? requested : LATEST_LEGACY_REVISION,
    ...(info
      ? { clientInfo: { name: String(info['name'] ?? '').slice(0, 200), version: String(info['version'] ?? '').slice(0, 100) } }
      : {}),
    clientCapabilities: isObject(params['capabilities']) ? params['capabilities'] : {},
    owner: ownerOf(principal),
    quotaKey,
    createdAt: now,
    lastSeenAt: now,
    initialized: false,
    subscriptions: [],
  };
}

/** The identity a session is bound to (the token is never part of it: it changes on refresh). */
export function ownerOf(principal: Principal): SessionOwner {
  return { kind: principal.kind, issuer: principal.issuer ?? '', subject: principal.subject };
}

/** Whose quota a session counts against: the principal, or the remote address for anonymous callers. */
export function quotaKeyOf(principal: Principal, remote: string | undefined): string {
  return principal.kind === 'anonymous'
    ? `addr:${remote ?? 'unknown'}`
    : `principal:${principal.kind}:${principal.issuer ?? ''}:${principal.subject}`;
}
