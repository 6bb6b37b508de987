// Protocol revisions. The 2025-era revisions are sessionful (initialize, server→client requests);
// 2026-07-28 is stateless per request (server/discover, input_required, per-request _meta).
import {
  CLIENT_CAPABILITIES_META_KEY,
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  LATEST_PROTOCOL_VERSION,
  LOG_LEVEL_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';

/** The era a client speaks: `legacy` = 2025-era (sessions, server→client requests). */
export type ClientEra = 'legacy' | '2026-07-28';

/** The first protocol revision in which servers ask for input with `input_required` results. */
export const MODERN_REVISION = '2026-07-28';

/** 2025-era revisions the gateway negotiates with clients, newest first. */
export const LEGACY_REVISIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
export const LATEST_LEGACY_REVISION: string = LATEST_PROTOCOL_VERSION;
/** What a 2025-era request without an MCP-Protocol-Version header is taken to speak (transport spec). */
export const DEFAULT_LEGACY_REVISION: string = DEFAULT_NEGOTIATED_PROTOCOL_VERSION;

/** `_meta` keys of 2026-07-28 requests. */
export const META_CLIENT_CAPABILITIES: string = CLIENT_CAPABILITIES_META_KEY;
export const META_LOG_LEVEL: string = LOG_LEVEL_META_KEY;

/** True for a revision at or after 2026-07-28 (revisions are dates: they sort as strings). */
export function isModernRevision(revision: string | undefined): boolean {
  return revision !== undefined && revision >= MODERN_REVISION;
}
