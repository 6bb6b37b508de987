// Finds the issuer's JWKS URL from its metadata document. Tried in order, first success wins:
//   <issuer>/.well-known/openid-configuration                     OpenID Connect Discovery §4
//   <origin>/.well-known/oauth-authorization-server<issuer path>   RFC 8414 §3
//   <origin>/.well-known/openid-configuration<issuer path>         the MCP spec's third form (path issuers)
// The document's `issuer` must equal the configured issuer exactly (OIDC Discovery §4.3,
// RFC 8414 §3.3): otherwise a metadata document could redirect us to someone else's keys.
import { AuthError } from './auth-error.js';
import { isLoopbackHost } from '../../config/validate-auth.js';

export interface DiscoveryOptions {
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly insecureAllowHttp: boolean;
}

export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const urls = [
    `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
  if (path !== '') urls.push(`${url.origin}/.well-known/openid-configuration${path}`);
  return urls;
}

/** The `jwks_uri` of the issuer; AuthError 503 when no metadata document can be used. */
export function discoverJwksUri(issuer: string, opts: DiscoveryOptions): Promise<string> {
  return discoverEndpoint(issuer, 'jwks_uri', opts);
}

/** An endpoint URL from the issuer's metadata (`jwks_uri`, `introspection_endpoint`, …). */
export async function discoverEndpoint(issuer: string, field: string, opts: DiscoveryOptions): Promise<string> {
  const problems: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    const doc = await fetchJson(url, opts).catch((e: unknown) => {
      problems.push(`${url}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    if (doc === undefined) continue;
    if (doc.issuer !== issuer) {
      problems.push(`${url}: its issuer is not ${issuer}`);
      continue;
    }
    const endpoint = doc[field];
    if (typeof endpoint !== 'string' || !isUrl(endpoint)) {
      problems.push(`${url}: no valid ${field}`);
      continue;
    }
    assertSecureUrl(endpoint, opts.insecureAllowHttp);
    return endpoint;
  }
  throw new AuthError(
    'temporarily_unavailable',
    `cannot verify tokens: the identity provider's metadata is unavailable (${problems.join('; ')})`,
  );
}

async function fetchJson(url: string, opts: DiscoveryOptions): Promise<Record<string, unknown>> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  const res = await opts.fetch(url, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
  return body as Record<string, unknown>;
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** Keys fetched over plain http from a remote host could be swapped by anyone on the path. */
export function assertSecureUrl(url: string, insecureAllowHttp: boolean): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:' || insecureAllowHttp) return;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return;
  throw new AuthError(
    'temporarily_unavailable',
    `cannot verify tokens: the key set URL ${url} is not https (set insecureAllowHttp for testing)`,
  );
}
