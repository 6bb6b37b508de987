// RFC 9728 OAuth 2.0 Protected Resource Metadata for the gateway, and where it is served.
//
// The metadata URL is formed by inserting /.well-known/oauth-protected-resource between the host
// and the path of the resource identifier (RFC 9728 §3.1), so for https://gw.example.com/mcp it
// is https://gw.example.com/.well-known/oauth-protected-resource/mcp. MCP clients try that
// path-suffixed form and then the root form (MCP authorization spec, "Protected Resource Metadata
// Discovery"), so the gateway serves both. `resource` is echoed exactly as configured: a client
// compares it with the URL it connected to by string, and `new URL(x).href` would add a slash to
// a bare origin (metamcp#102, python-sdk#1265).
import type { OidcIncomingAuth } from '../../config/types.js';

export const WELL_KNOWN_PATH = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
}

export function protectedResourceMetadata(auth: OidcIncomingAuth, resourceName: string): ProtectedResourceMetadata {
  return {
    resource: auth.resource,
    authorization_servers: [auth.issuer],
    ...(auth.scopes.length === 0 ? {} : { scopes_supported: [...auth.scopes] }),
    bearer_methods_supported: ['header'],
    resource_name: resourceName,
  };
}

/** The resource's path without its terminating slash ('' for a bare origin or "/"). */
function resourcePath(resource: string): string {
  return new URL(resource).pathname.replace(/\/+$/, '');
}

/** The URL advertised in `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728 §5.1). */
export function metadataUrl(resource: string): string {
  return `${new URL(resource).origin}${WELL_KNOWN_PATH}${resourcePath(resource)}`;
}

/** The paths to serve the document at: path-suffixed first, then the root form. */
export function metadataPaths(resource: string): string[] {
  const suffixed = `${WELL_KNOWN_PATH}${resourcePath(resource)}`;
  return suffixed === WELL_KNOWN_PATH ? [WELL_KNOWN_PATH] : [suffixed, WELL_KNOWN_PATH];
}

/** Whether a request path asks for the metadata (one trailing slash tolerated; query ignored). */
export function isMetadataPath(resource: string, requestPath: string): boolean {
  const path = requestPath.split('?')[0]!.replace(/(.)\/$/, '$1');
  return metadataPaths(resource).includes(path);
}
