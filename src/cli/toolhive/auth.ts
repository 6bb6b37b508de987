// spec.incomingAuth and spec.outgoingAuth of a VirtualMCPServer, with the resources they name
// (MCPOIDCConfig, MCPExternalAuthConfig) resolved from the same manifest. Kubernetes Secrets
// become environment variables (Notes.secretEnv). Authorization that cannot be carried over is
// replaced by a policy that denies everything, never dropped: an import must not open a gateway.
import { isObject, refName, str, type Manifest, type Resource } from './manifest.js';
import type { Notes } from './notes.js';
import type { ImportedBackend } from './backends.js';

const DENY_ALL = 'forbid(principal, action, resource);';

export function importIncoming(vmcp: Resource, manifest: Manifest, notes: Notes): Record<string, unknown> | undefined {
  const spec = isObject(vmcp.spec['incomingAuth']) ? vmcp.spec['incomingAuth'] : undefined;
  if (!spec) return undefined;
  const type = str(spec['type']) ?? 'anonymous';
  const out: Record<string, unknown> = { type };
  if (type === 'oidc') out['oidc'] = oidc(vmcp, spec['oidcConfigRef'], manifest, notes);
  const authz = importAuthz(spec, notes);
  if (authz) out['authz'] = authz;
  return out;
}

function oidc(vmcp: Resource, ref: unknown, manifest: Manifest, notes: Notes): Record<string, unknown> {
  const r = isObject(ref) ? ref : {};
  const name = str(r['name']);
  const shared = name ? manifest.find('MCPOIDCConfig', name, vmcp.namespace) : undefined;
  const out: Record<string, unknown> = {};
  const inline = shared && isObject(shared.spec['inline']) ? shared.spec['inline'] : undefined;
  const sa = shared && isObject(shared.spec['kubernetesServiceAccount']) ? shared.spec['kubernetesServiceAccount'] : undefined;
  if (inline) {
    out['issuer'] = str(inline['issuer']);
    for (const key of ['jwksUrl', 'introspectionUrl', 'clientId']) if (str(inline[key])) out[key] = inline[key];
    if (inline['clientSecretRef']) out['clientSecretEnv'] = notes.secretEnv(inline['clientSecretRef'], `${name}-client-secret`);
    if (inline['insecureAllowHTTP'] === true) out['insecureAllowHttp'] = true;
    if (inline['caBundleRef'])
      notes.attention(
        'incomingAuth.oidc',
        `the CA bundle of MCPOIDCConfig "${name}" is not carried over: trust it system-wide (NODE_EXTRA_CA_CERTS)`,
      );
  } else if (sa) {
    out['issuer'] = str(sa['issuer']) ?? 'https://kubernetes.default.svc';
    if (str(sa['jwksUrl'])) out['jwksUrl'] = sa['jwksUrl'];
    notes.info('incomingAuth.oidc', `from MCPOIDCConfig "${name}" (Kubernetes service-account tokens)`);
  } else {
    out['issuer'] = 'https://issuer.example.invalid';
    notes.attention(
      'incomingAuth.oidc.issuer',
      `MCPOIDCConfig "${name ?? '?'}" is not in this manifest: set the issuer (and clientId) of your identity provider`,
    );
  }
  const audience = str(r['audience']) ?? vmcp.name;
  out['audience'] = audience;
  if (Array.isArray(r['scopes']) && r['scopes'].length > 0) out['scopes'] = r['scopes'];
  const resource = str(r['resourceUrl']);
  if (resource) out['resource'] = resource;
  else if (!/^https?:\/\//.test(audience)) {
    out['resource'] = `http://vmcp-${vmcp.name}.${vmcp.namespace}.svc.cluster.local:4483/mcp`;
    notes.info(
      'incomingAuth.oidc.resource',
      "the gateway's URL for RFC 9728 metadata (audience is not a URL): the operator's Service URL; set the URL clients use",
    );
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function importAuthz(spec: Record<string, unknown>, notes: Notes): Record<string, unknown> | undefined {
  const config = isObject(spec['authzConfig']) ? spec['authzConfig'] : undefined;
  if (config?.['type'] === 'inline' && isObject(config['inline'])) {
    const inline = config['inline'];
    const policies = Array.isArray(inline['policies']) ? inline['policies'].map((p) => cedarActions(String(p).trim(), notes)) : [];
    const out: Record<string, unknown> = { type: 'cedar', policies };
    if (str(inline['entitiesJson'])) out['entitiesJson'] = inline['entitiesJson'];
    return out;
  }
  const where = config
    ? `the ConfigMap named in authzConfig`
    : spec['authzConfigRef']
      ? `MCPAuthzConfig "${refName(spec['authzConfigRef'])}"`
      : undefined;
  if (!where) return undefined;
  notes.attention(
    'incomingAuth.authz',
    `the Cedar policies live in ${where}, which this import cannot read: this placeholder denies every call until you copy them here`,
  );
  return { type: 'cedar', policies: [DENY_ALL] };
}

/** ToolHive's examples name actions by MCP method; its Cedar authorizer (and vmcp's) uses these names. */
const ACTIONS: Readonly<Record<string, string>> = {
  'tools/call': 'call_tool',
  'prompts/get': 'get_prompt',
  'resources/read': 'read_resource',
};

function cedarActions(policy: string, notes: Notes): string {
  return policy.replace(/Action::"(tools\/call|prompts\/get|resources\/read)"/g, (_m, method: string) => {
    const action = ACTIONS[method]!;
    notes.info(
      'incomingAuth.authz',
      `Action::"${method}" written as Action::"${action}", the action name Cedar policies are evaluated with`,
    );
    return `Action::"${action}"`;
  });
}

/** outgoingAuth, with `discovered` backends resolved from their workload's externalAuthConfigRef. */
export function importOutgoing(
  vmcp: Resource,
  members: readonly ImportedBackend[],
  manifest: Manifest,
  notes: Notes,
): Record<string, unknown> {
  const spec = isObject(vmcp.spec['outgoingAuth']) ? vmcp.spec['outgoingAuth'] : {};
  const source = str(spec['source']) ?? 'discovered';
  const out: Record<string, unknown> = { source };
  const resolve = (ref: unknown, at: string) => strategy(refName(ref), vmcp.namespace, manifest, notes, at);
  const def = isObject(spec['default']) ? spec['default'] : undefined;
  if (def?.['type'] === 'externalAuthConfigRef') out['default'] = resolve(def['externalAuthConfigRef'], 'outgoingAuth.default');
  const explicit: Record<string, unknown> = isObject(spec['backends']) ? spec['backends'] : {};
  const backends: Record<string, unknown> = {};
  for (const b of members) {
    const entry = explicit[b.resource.name];
    const own = isObject(entry) ? entry : undefined;
    const at = `outgoingAuth.backends.${b.name}`;
    if (own?.['type'] === 'externalAuthConfigRef') backends[b.name] = resolve(own['externalAuthConfigRef'], at);
    else if ((own?.['type'] === 'discovered' || source === 'discovered') && b.resource.spec['externalAuthConfigRef']) {
      backends[b.name] = resolve(b.resource.spec['externalAuthConfigRef'], at);
    }
  }
  if (Object.keys(backends).length > 0) out['backends'] = backends;
  return out;
}

function strategy(name: string | undefined, namespace: string, manifest: Manifest, notes: Notes, at: string): Record<string, unknown> {
  const r = name ? manifest.find('MCPExternalAuthConfig', name, namespace) : undefined;
  if (!r) {
    notes.attention(
      at,
      `MCPExternalAuthConfig "${name ?? '?'}" is not in this manifest: the backend gets no credentials until you set a strategy here`,
    );
    return { type: 'unauthenticated' };
  }
  const type = str(r.spec['type']);
  const part = (key: string) => (isObject(r.spec[key]) ? r.spec[key] : {});
  if (type === 'tokenExchange') {
    const te = part('tokenExchange');
    const out: Record<string, unknown> = { tokenUrl: te['tokenUrl'] };
    for (const key of ['clientId', 'audience', 'scopes', 'subjectTokenType']) if (te[key] !== undefined) out[key] = te[key];
    if (te['clientSecretRef']) out['clientSecretEnv'] = notes.secretEnv(te['clientSecretRef'], `${name}-client-secret`);
    if (te['externalTokenHeaderName'] || te['subjectProviderName']) {
      notes.attention(
        at,
        `externalTokenHeaderName / subjectProviderName of "${name}" are not supported: the caller's gateway token is exchanged`,
      );
    }
    return { type: 'token_exchange', tokenExchange: out };
  }
  if (type === 'headerInjection') {
    const hi = part('headerInjection');
    return {
      type: 'header_injection',
      headerInjection: { headerName: hi['headerName'], headerValueEnv: notes.secretEnv(hi['valueSecretRef'], `${name}-value`) },
    };
  }
  if (type === 'bearerToken') {
    const env = notes.secretEnv(part('bearerToken')['tokenSecretRef'], `${name}-token`);
    notes.attention(at, `bearerToken "${name}": vmcp sends the variable's value verbatim, so ${env} must hold "Bearer <token>"`);
    return { type: 'header_injection', headerInjection: { headerName: 'Authorization', headerValueEnv: env } };
  }
  if (type === 'unauthenticated') return { type: 'unauthenticated' };
  notes.attention(
    at,
    `MCPExternalAuthConfig "${name}" is of type ${type ?? '?'}, which vmcp does not have: the backend gets no credentials until you choose a strategy`,
  );
  return { type: 'unauthenticated' };
}
