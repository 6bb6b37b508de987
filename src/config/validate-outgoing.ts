// Cross-field rules of `outgoingAuth` (issue 6 §2): the block that goes with each strategy type,
// references to backends, what a stdio backend can use, and the MCP spec's ban on blind token
// pass-through (a warning). Runs on raw data; messages name env vars and files, never values.
import { DEFAULTS } from './defaults.js';
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import { isLoopbackHost, parseUrl } from './validate-auth.js';
import { MANAGED_HEADERS } from './schema-common.js';
import type { BackendIndex } from './backend-index.js';

interface Entry {
  readonly path: PathSegment[];
  readonly value: Record<string, unknown>;
}

export function outgoingAuthIssues(data: Record<string, unknown>, index: BackendIndex): RawIssue[] {
  const outgoing = isRecord(data.outgoingAuth) ? data.outgoingAuth : {};
  const own = isRecord(outgoing.backends) ? outgoing.backends : {};
  const fallback: Entry | undefined = isRecord(outgoing.default)
    ? { path: ['outgoingAuth', 'default'], value: outgoing.default }
    : undefined;
  const incomingType = isRecord(data.incomingAuth) ? (data.incomingAuth.type ?? DEFAULTS.incomingAuthType) : DEFAULTS.incomingAuthType;
  const issues: RawIssue[] = [];
  const entries: Entry[] = fallback === undefined ? [] : [fallback];
  for (const [name, value] of Object.entries(own)) {
    const path: PathSegment[] = ['outgoingAuth', 'backends', name];
    if (!index.all.has(name)) issues.push(error(path, `no backend is named "${name}"`, true));
    if (isRecord(value)) entries.push({ path, value });
  }
  for (const entry of entries) issues.push(...strategyIssues(entry, incomingType));
  (Array.isArray(data.backends) ? data.backends : []).forEach((backend: unknown, i) => {
    if (!isRecord(backend) || typeof backend.name !== 'string' || index.all.get(backend.name) !== i) return;
    const value = own[backend.name];
    const entry = isRecord(value) ? { path: ['outgoingAuth', 'backends', backend.name], value } : fallback;
    if (entry !== undefined) issues.push(...fitIssues(entry, backend, i, entry === fallback));
  });
  return issues;
}

/** Rules of one strategy entry on its own. */
function strategyIssues({ path, value }: Entry, incomingType: unknown): RawIssue[] {
  const block = (key: string): Record<string, unknown> => (isRecord(value[key]) ? value[key] : {});
  const needsCaller = (what: string): RawIssue[] =>
    incomingType === 'oidc'
      ? []
      : [error([...path, 'type'], `${String(value.type)} needs incomingAuth.type: oidc (it ${what} the caller's token)`)];
  switch (value.type) {
    case 'header_injection':
      return headerInjectionIssues([...path, 'headerInjection'], block('headerInjection'));
    case 'token_exchange':
      return [...clientIssues([...path, 'tokenExchange'], block('tokenExchange'), false), ...needsCaller('exchanges')];
    case 'client_credentials':
      // A confidential client needs its secret; token exchange may run as a public client.
      return clientIssues([...path, 'clientCredentials'], block('clientCredentials'), true);
    case 'token_passthrough':
      return needsCaller('forwards');
    case 'upstream_inject':
      return [...upstreamInjectIssues(path, block('upstreamInject')), ...needsCaller('forwards')];
    default:
      return [];
  }
}

function headerInjectionIssues(path: PathSegment[], h: Record<string, unknown>): RawIssue[] {
  const issues = exactlyOne(path, h, 'headerValueEnv', 'headerValueFile', true);
  if (h.headerName === undefined && h.envName === undefined) {
    issues.push(error(path, 'needs headerName (HTTP backends) and/or envName (stdio backends)'));
  }
  if (typeof h.headerName === 'string' && MANAGED_HEADERS.has(h.headerName.toLowerCase())) {
    issues.push(error([...path, 'headerName'], `header "${h.headerName}" is managed by the transport and cannot be set`));
  }
  return issues;
}

function clientIssues(path: PathSegment[], b: Record<string, unknown>, secretRequired: boolean): RawIssue[] {
  const issues = exactlyOne(path, b, 'clientSecretEnv', 'clientSecretFile', secretRequired);
  if (b.clientId === undefined && (b.clientSecretEnv ?? b.clientSecretFile) !== undefined) {
    issues.push(error(path, 'a client secret needs a clientId'));
  }
  const url = parseUrl(b.tokenUrl);
  if (url?.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    issues.push(warning([...path, 'tokenUrl'], 'plain http: client secrets and tokens cross the network unencrypted'));
  }
  return issues;
}

function exactlyOne(path: PathSegment[], block: Record<string, unknown>, a: string, b: string, required: boolean): RawIssue[] {
  if (block[a] !== undefined && block[b] !== undefined) return [error(path, `set either ${a} or ${b}, not both`)];
  if (required && block[a] === undefined && block[b] === undefined)
    return [error(path, `needs ${a} or ${b} (secrets are never written inline)`)];
  return [];
}

/** Whether the strategy that applies to a backend can work with its transport. */
function fitIssues({ path, value }: Entry, backend: Record<string, unknown>, i: number, inherited: boolean): RawIssue[] {
  const name = String(backend.name);
  const from = inherited ? `outgoingAuth.default (${String(value.type)}) applies to backend "${name}", but ` : '';
  const fix = inherited ? `; give it its own outgoingAuth.backends.${name} entry` : '';
  const h = isRecord(value.headerInjection) ? value.headerInjection : {};
  const issues: RawIssue[] = [];
  if (backend.transport === 'stdio') {
    if (value.type === 'header_injection' && h.envName === undefined) {
      issues.push(error(path, `${from}a stdio backend takes credentials through its environment: set headerInjection.envName${fix}`));
    } else if (value.type !== 'unauthenticated' && value.type !== 'header_injection' && typeof value.type === 'string') {
      issues.push(error(path, `${from}stdio backends support only unauthenticated and header_injection (with envName)${fix}`));
    }
    const env = isRecord(backend.env) ? backend.env : {};
    if (value.type === 'header_injection' && typeof h.envName === 'string' && Object.hasOwn(env, h.envName)) {
      issues.push(error(path, `env var "${h.envName}" is also set in backends[${i}].env`));
    }
    return issues;
  }
  if (value.type === 'header_injection' && h.headerName === undefined) {
    issues.push(error(path, `${from}backend "${name}" is reached over HTTP: set headerInjection.headerName${fix}`));
  }
  const passthrough = value.type === 'token_passthrough' || value.type === 'upstream_inject';
  const injected = value.type === 'header_injection' ? h.headerName : passthrough ? passthroughHeader(value) : undefined;
  const headers = isRecord(backend.headers) ? Object.keys(backend.headers).map((k) => k.toLowerCase()) : [];
  if (typeof injected === 'string' && headers.includes(injected.toLowerCase())) {
    issues.push(error(path, `header "${injected}" is also set in backends[${i}].headers`));
  }
  if (passthrough) {
    issues.push(
      warning(
        path,
        `forwards the caller's own token to backend "${name}": the MCP authorization spec forbids token ` +
          'pass-through unless that backend accepts tokens issued for this gateway; prefer token_exchange',
      ),
    );
  }
  return issues;
}

function passthroughHeader(value: Record<string, unknown>): unknown {
  const key = value.type === 'upstream_inject' ? 'upstreamInject' : 'tokenPassthrough';
  const block = isRecord(value[key]) ? value[key] : {};
  return block.headerName ?? DEFAULTS.tokenPassthroughHeader;
}

/**
 * vmcp's `upstream_inject` was renamed: ToolHive uses that name for a token held by its embedded
 * authorization server (upstreamInject.providerName), which vmcp does not have.
 */
function upstreamInjectIssues(path: PathSegment[], block: Record<string, unknown>): RawIssue[] {
  if (block.providerName !== undefined) {
    return [
      error(
        [...path, 'upstreamInject', 'providerName'],
        "ToolHive's upstream_inject injects a token its embedded authorization server holds; vmcp has no embedded " +
          'authorization server. Use token_exchange (RFC 8693: a backend token for the caller from your IdP), ' +
          "token_passthrough (the caller's own token) or client_credentials",
        true,
      ),
    ];
  }
  const fix = block.headerName === undefined ? '' : ' with tokenPassthrough.headerName';
  return [warning([...path, 'type'], `"upstream_inject" is deprecated in vmcp: write type: token_passthrough${fix} (same behaviour)`)];
}
