// The members of the VirtualMCPServer's group (MCPServer, MCPRemoteProxy, MCPServerEntry in its
// namespace), as static vmcp backends. vmcp runs no containers and discovers no groups: a remote
// endpoint is used directly; an MCPServer becomes its in-cluster proxy Service URL, which only
// resolves inside the cluster, and says so.
import { BACKEND_NAME_PATTERN } from '../../config/schema-common.js';
import { isObject, refName, str, type Manifest, type Resource } from './manifest.js';

export interface ImportedBackend {
  /** The vmcp backend name (the resource name, made to fit vmcp's name rules if needed). */
  readonly name: string;
  readonly value: Record<string, unknown>;
  /** Comment lines written above the entry. */
  readonly comment: string[];
  readonly resource: Resource;
  /** Whether it can only work inside the cluster (an MCPServer's Service URL). */
  readonly inCluster: boolean;
}

const MEMBER_KINDS = ['MCPServer', 'MCPRemoteProxy', 'MCPServerEntry'];

/** Spec keys that configure how Kubernetes runs a workload: nothing of them applies to a URL. */
const RUNTIME_KEYS = [
  'image',
  'args',
  'env',
  'volumes',
  'resources',
  'secrets',
  'serviceAccount',
  'permissionProfile',
  'podTemplateSpec',
  'resourceOverrides',
  'replicas',
  'backendReplicas',
  'sessionAffinity',
  'sessionStorage',
  'mcpPort',
  'proxyPort',
];
/** Keys the workload's own proxy applies (its incoming auth, policies, logs); vmcp calls past them. */
const PROXY_KEYS = [
  'oidcConfigRef',
  'authzConfig',
  'authzConfigRef',
  'audit',
  'telemetryConfigRef',
  'webhookConfigRef',
  'authServerRef',
  'trustProxyHeaders',
  'endpointPrefix',
  'rateLimiting',
  'allowPrivateEndpoint',
  'caBundleRef',
];

export function groupMembers(manifest: Manifest, group: string, namespace: string): Resource[] {
  return MEMBER_KINDS.flatMap((kind) => manifest.all(kind, namespace)).filter((r) => refName(r.spec['groupRef']) === group);
}

export function importBackend(r: Resource, taken: Set<string>): ImportedBackend {
  const name = backendName(r.name, taken);
  const comment = [`${r.kind} "${r.name}" (namespace ${r.namespace})`];
  if (name !== r.name) comment.push(`renamed from "${r.name}": vmcp backend names are 1-32 letters, digits, "_" or "-"`);
  const dropped = (keys: readonly string[]) => keys.filter((k) => r.spec[k] !== undefined && k !== 'proxyPort');
  let value: Record<string, unknown>;
  let inCluster = false;
  if (r.kind === 'MCPServer') {
    const sse = r.spec['transport'] === 'sse' || (r.spec['transport'] !== 'streamable-http' && r.spec['proxyMode'] === 'sse');
    const port = typeof r.spec['proxyPort'] === 'number' ? r.spec['proxyPort'] : 8080;
    const host = `mcp-${r.name}-proxy.${r.namespace}.svc.cluster.local:${port}`;
    value = { name, transport: sse ? 'sse' : 'streamable-http', url: `http://${host}${sse ? '/sse' : '/mcp'}` };
    inCluster = true;
    const image = str(r.spec['image']);
    comment.push(
      `vmcp does not run container images${image ? ` (${image})` : ''}: this is the URL of the server's ToolHive proxy Service,`,
      'which resolves only inside the cluster; point url at wherever the server runs, or run it as a stdio backend',
    );
  } else {
    const transport = r.spec['transport'] === 'sse' ? 'sse' : 'streamable-http';
    value = { name, transport, url: str(r.spec['remoteUrl']) ?? '' };
    if (r.kind === 'MCPRemoteProxy') {
      const port = typeof r.spec['proxyPort'] === 'number' ? r.spec['proxyPort'] : 8080;
      comment.push(
        `vmcp calls the remote server directly; in the cluster it sat behind http://mcp-${r.name}-remote-proxy.${r.namespace}.svc.cluster.local:${port}`,
      );
    }
  }
  const headers = plaintextHeaders(r, comment);
  if (headers) value['headers'] = headers;
  const lost = [...dropped(RUNTIME_KEYS), ...dropped(PROXY_KEYS)];
  if (lost.length > 0) comment.push(`not carried over (Kubernetes and proxy settings): ${lost.join(', ')}`);
  return { name, value, comment, resource: r, inCluster };
}

/** headerForward.addPlaintextHeaders become the backend's headers; secret-backed ones cannot. */
function plaintextHeaders(r: Resource, comment: string[]): Record<string, string> | undefined {
  const forward = isObject(r.spec['headerForward']) ? r.spec['headerForward'] : undefined;
  if (!forward) return undefined;
  const plain = isObject(forward['addPlaintextHeaders']) ? (forward['addPlaintextHeaders'] as Record<string, string>) : {};
  const fromSecret = Array.isArray(forward['addHeadersFromSecret']) ? forward['addHeadersFromSecret'] : [];
  if (fromSecret.length > 0) {
    const names = fromSecret.map((h) => (isObject(h) ? String(h['headerName'] ?? '?') : '?')).join(', ');
    comment.push(`headerForward.addHeadersFromSecret (${names}) not carried over: add them under headers with \${ENV} values`);
  }
  return Object.keys(plain).length > 0 ? { ...plain } : undefined;
}

function backendName(name: string, taken: Set<string>): string {
  let out = BACKEND_NAME_PATTERN.test(name)
    ? name
    : name
        .replace(/[^A-Za-z0-9_-]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 32) || 'backend';
  for (let i = 2; taken.has(out); i++) out = `${out.slice(0, 29)}-${i}`;
  taken.add(out);
  return out;
}
