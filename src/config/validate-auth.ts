// Cross-field rules of `incomingAuth` (issue 6) and the loopback rule that ties it to
// `server.host`. Like the other rule files they run on the raw data, so they report alongside
// schema errors. No message quotes a value that could be a secret: hashes, env values and file
// contents never appear; URLs and names do.
import { DEFAULTS } from './defaults.js';
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;

/** Whether a listen address or URL host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export function incomingAuthIssues(data: Record<string, unknown>): RawIssue[] {
  const auth = isRecord(data.incomingAuth) ? data.incomingAuth : {};
  const type = auth.type ?? DEFAULTS.incomingAuthType;
  return [
    ...hostIssues(data.server, type, auth.allowRemoteAnonymous),
    ...typeIssues(auth, type),
    ...(isRecord(auth.oidc) ? oidcIssues(auth.oidc) : []),
    ...apiKeyIssues(auth.apiKeys, type),
    ...(isRecord(auth.authz) ? authzIssues(auth.authz) : []),
  ];
}

/**
 * Issue 6: anonymous is the default and is loopback only. A gateway that can spawn processes and
 * reach private backends must not become an open proxy because someone changed `host`.
 */
function hostIssues(server: unknown, type: unknown, allowRemote: unknown): RawIssue[] {
  const host = isRecord(server) && typeof server.host === 'string' ? server.host : DEFAULTS.host;
  if (isLoopbackHost(host) || type !== 'anonymous') return [];
  const path = ['server', 'host'];
  if (allowRemote !== true) {
    return [
      error(
        path,
        'anonymous access on a non-loopback address would let anyone who can reach it use every backend: ' +
          'set incomingAuth.type: oidc, or incomingAuth.allowRemoteAnonymous: true to accept that',
      ),
    ];
  }
  return [
    warning(path, `listening on a non-loopback address: every client that can reach it can use every backend (default ${DEFAULTS.host})`),
  ];
}

function typeIssues(auth: Record<string, unknown>, type: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  if (type === 'oidc' && auth.oidc === undefined) {
    issues.push(error(['incomingAuth', 'type'], '"oidc" needs an incomingAuth.oidc block with at least issuer and audience'));
  }
  // An oidc block under anonymous looks protected but is not: refuse rather than ignore it.
  if (type === 'anonymous' && auth.oidc !== undefined) {
    issues.push(error(['incomingAuth', 'oidc'], 'set, but incomingAuth.type is "anonymous" (the default): add type: oidc', true));
  }
  if (type === 'oidc' && auth.allowRemoteAnonymous === true) {
    issues.push(warning(['incomingAuth', 'allowRemoteAnonymous'], 'ignored: incomingAuth.type is "oidc"', true));
  }
  return issues;
}

function oidcIssues(oidc: Record<string, unknown>): RawIssue[] {
  const at = (key: string): PathSegment[] => ['incomingAuth', 'oidc', key];
  const insecure = oidc.insecureAllowHttp === true;
  const issues: RawIssue[] = [];
  for (const key of ['issuer', 'jwksUrl']) {
    const url = parseUrl(oidc[key]);
    if (url === undefined) continue;
    if (url.protocol === 'http:' && !insecure && !isLoopbackHost(url.hostname)) {
      issues.push(error(at(key), 'must be https:// (http:// only for a loopback host, or with insecureAllowHttp: true)'));
    }
    if (key === 'issuer' && (url.search !== '' || url.hash !== '')) {
      issues.push(error(at(key), 'must not have a query or fragment (OpenID Connect Discovery §3)'));
    }
  }
  // RFC 8707 §2 / RFC 9728 §1.2: a resource identifier has no fragment.
  for (const key of ['audience', 'resource']) {
    const url = parseUrl(oidc[key]);
    if (url !== undefined && url.hash !== '') issues.push(error(at(key), 'must not have a fragment (RFC 8707 §2)'));
  }
  if (insecure && !issues.some((i) => i.severity === 'error')) {
    issues.push(warning(at('insecureAllowHttp'), 'tokens and keys may be fetched over plain http: for testing only', true));
  }
  return issues;
}

function apiKeyIssues(apiKeys: unknown, type: unknown): RawIssue[] {
  if (!Array.isArray(apiKeys)) return [];
  const issues: RawIssue[] = [];
  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  apiKeys.forEach((key: unknown, i) => {
    if (!isRecord(key)) return;
    const path: PathSegment[] = ['incomingAuth', 'apiKeys', i];
    if (typeof key.name === 'string') {
      const first = names.get(key.name);
      if (first !== undefined)
        issues.push(error([...path, 'name'], `duplicate API key name "${key.name}": apiKeys[${first}] and apiKeys[${i}]`));
      else names.set(key.name, i);
    }
    if (typeof key.sha256 === 'string') {
      const first = hashes.get(key.sha256.toLowerCase());
      if (first !== undefined) issues.push(error([...path, 'sha256'], `the same key hash as apiKeys[${first}]`));
      else hashes.set(key.sha256.toLowerCase(), i);
    }
  });
  if (type === 'anonymous' && apiKeys.length > 0) {
    issues.push(
      warning(['incomingAuth', 'apiKeys'], 'with type "anonymous", requests without a key are still accepted (as anonymous)', true),
    );
  }
  return issues;
}

function authzIssues(authz: Record<string, unknown>): RawIssue[] {
  const path: PathSegment[] = ['incomingAuth', 'authz'];
  const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
  const issues: RawIssue[] = [];
  if (authz.type === 'cedar' && count(authz.policies) + count(authz.policyFiles) === 0) {
    issues.push(error(path, 'cedar authorization needs at least one policy (policies or policyFiles): with none, every call is denied'));
  }
  if (typeof authz.entitiesJson === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(authz.entitiesJson);
    } catch {
      return [...issues, error([...path, 'entitiesJson'], 'must be valid JSON (a list of Cedar entities)')];
    }
    if (!Array.isArray(parsed)) issues.push(error([...path, 'entitiesJson'], 'must be a JSON list of Cedar entities, e.g. "[]"'));
  }
  return issues;
}

export function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
