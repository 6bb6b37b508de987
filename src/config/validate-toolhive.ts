// Cross-field rules for the ToolHive keys (schema-toolhive.ts): each key vmcp accepts but cannot
// act on gets a warning that says what vmcp does instead, so nothing is ignored silently.
import { DEFAULTS } from './defaults.js';
import { isRecord } from './expand-env.js';
import { isLoopbackHost, parseUrl } from './validate-auth.js';
import { error, warning } from './issues.js';
import { passthroughIssues } from './passthrough-headers.js';
import type { RawIssue } from './issues.js';

export function toolhiveIssues(data: Record<string, unknown>): RawIssue[] {
  return [
    ...groupIssues(data),
    ...sourceIssues(data),
    ...failureModeIssues(data),
    ...ignoredSectionIssues(data),
    ...localIssues(data),
    ...introspectionIssues(data),
    ...passthroughIssues(data),
  ];
}

/** `local` trusts whoever can connect to be the OS user: only true on a loopback listener. */
function localIssues(data: Record<string, unknown>): RawIssue[] {
  const auth = isRecord(data.incomingAuth) ? data.incomingAuth : {};
  if (auth.type !== 'local') return [];
  const issues: RawIssue[] = [];
  const host = isRecord(data.server) && typeof data.server.host === 'string' ? data.server.host : DEFAULTS.host;
  if (!isLoopbackHost(host)) {
    issues.push(error(['server', 'host'], 'incomingAuth.type "local" makes every caller the OS user: it needs a loopback server.host'));
  }
  if (auth.oidc !== undefined) issues.push(error(['incomingAuth', 'oidc'], 'set, but incomingAuth.type is "local": use type: oidc', true));
  if (auth.allowRemoteAnonymous === true) {
    issues.push(error(['incomingAuth', 'allowRemoteAnonymous'], 'not allowed with type "local" (it must stay on loopback)', true));
  }
  return issues;
}

function introspectionIssues(data: Record<string, unknown>): RawIssue[] {
  const auth = isRecord(data.incomingAuth) ? data.incomingAuth : {};
  const oidc = isRecord(auth.oidc) ? auth.oidc : undefined;
  if (oidc === undefined) return [];
  const at = (key: string) => ['incomingAuth', 'oidc', key];
  const issues: RawIssue[] = [];
  const secret = oidc.clientSecretEnv !== undefined || oidc.clientSecretFile !== undefined;
  if (oidc.clientSecretEnv !== undefined && oidc.clientSecretFile !== undefined) {
    issues.push(error(at('clientSecretFile'), 'set only one of clientSecretEnv and clientSecretFile', true));
  }
  if (secret && oidc.clientId === undefined) issues.push(error(at('clientId'), 'required with a client secret (token introspection)'));
  if (!secret && oidc.clientId !== undefined) {
    issues.push(
      warning(at('clientId'), 'no clientSecretEnv or clientSecretFile: opaque tokens cannot be introspected and are refused', true),
    );
  }
  if (typeof oidc.audience === 'string' && parseUrl(oidc.audience) === undefined && oidc.resource === undefined) {
    issues.push(error(at('resource'), `required when audience ("${oidc.audience}") is not a URL: the gateway's URL for RFC 9728 metadata`));
  }
  const url = parseUrl(oidc.introspectionUrl);
  if (url?.protocol === 'http:' && oidc.insecureAllowHttp !== true && !isLoopbackHost(url.hostname)) {
    issues.push(error(at('introspectionUrl'), 'must be https:// (http:// only for a loopback host, or with insecureAllowHttp: true)'));
  }
  return issues;
}

function groupIssues(data: Record<string, unknown>): RawIssue[] {
  const backends = data.backends;
  const none = backends === undefined || (Array.isArray(backends) && backends.length === 0);
  if (typeof data.groupRef !== 'string') {
    return backends === undefined ? [error([], 'backends is required: list the MCP servers to aggregate')] : [];
  }
  if (none) {
    return [
      error(
        ['groupRef'],
        `vmcp does not discover the members of group "${data.groupRef}": list them under backends (name, url, transport), as \`thv vmcp init\` writes them`,
        true,
      ),
    ];
  }
  return [warning(['groupRef'], `group "${data.groupRef}" is not discovered: vmcp serves the static backends list`, true)];
}

function sourceIssues(data: Record<string, unknown>): RawIssue[] {
  const out = isRecord(data.outgoingAuth) ? data.outgoingAuth : {};
  if (out.source !== 'discovered') return [];
  return [
    warning(
      ['outgoingAuth', 'source'],
      'vmcp has no Kubernetes auth discovery: backend auth comes from outgoingAuth.default and outgoingAuth.backends in this file',
    ),
  ];
}

function failureModeIssues(data: Record<string, unknown>): RawIssue[] {
  const op = isRecord(data.operational) && isRecord(data.operational.failureHandling) ? data.operational.failureHandling : {};
  if (op.partialFailureMode !== 'fail') return [];
  return [
    warning(
      ['operational', 'failureHandling', 'partialFailureMode'],
      'vmcp always serves the backends that are up (best_effort): a down backend drops out of the lists instead of failing them',
    ),
  ];
}

const IGNORED: readonly (readonly [string, string])[] = [
  ['compositeToolRefs', 'ignored: these name Kubernetes resources; write the workflows inline under compositeTools'],
];

function ignoredSectionIssues(data: Record<string, unknown>): RawIssue[] {
  return IGNORED.filter(([key]) => data[key] !== undefined).map(([key, message]) => warning([key], message, true));
}
