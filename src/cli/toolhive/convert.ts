// One VirtualMCPServer of a ToolHive manifest → one vmcp config, as a YAML document whose comments
// say what was carried over, approximated or dropped. spec.config is copied node by node, with its
// own comments; the operator's spec fields (groupRef, incomingAuth, outgoingAuth,
// passthroughHeaders) and the group's members are turned into their vmcp keys.
import { Document, isMap, isScalar, isSeq, Pair, YAMLMap, YAMLSeq, type Node, type Scalar } from 'yaml';
import { importBackend, groupMembers, type ImportedBackend } from './backends.js';
import { importIncoming, importOutgoing } from './auth.js';
import { isObject, refName, str, type Manifest, type Resource } from './manifest.js';
import { Notes } from './notes.js';
import { fixStaleCompositeKeys, resolveToolConfigs, sessionStorage } from './extras.js';

export interface Imported {
  readonly text: string;
  readonly notes: Notes;
  readonly vmcp: Resource;
  readonly backends: readonly ImportedBackend[];
}

/** spec keys of a VirtualMCPServer that only say how Kubernetes runs the gateway. */
const DEPLOYMENT_KEYS = ['serviceType', 'sessionAffinity', 'serviceAccount', 'podTemplateSpec', 'replicas', 'imagePullSecrets'];
const UNSUPPORTED_REFS: Readonly<Record<string, string>> = {
  telemetryConfigRef: 'MCPTelemetryConfig is not read: write telemetry under telemetry',
  embeddingServerRef: 'the EmbeddingServer is not read: set optimizer.embeddingService to its URL',
  authServerConfig: 'vmcp has no embedded authorization server',
};
/** Keys of spec.config the operator fills from spec, or that this import writes itself. */
const WRITTEN = new Set(['name', 'groupRef', 'backends', 'incomingAuth', 'outgoingAuth', 'passthroughHeaders', 'sessionStorage']);

export function pickVirtualServer(manifest: Manifest, name: string | undefined): Resource | string {
  const all = manifest.all('VirtualMCPServer');
  const names = all.map((r) => `${r.namespace}/${r.name}`).join(', ');
  if (all.length === 0) return 'the manifest has no VirtualMCPServer';
  if (name === undefined)
    return all.length === 1 ? all[0]! : `the manifest has ${all.length} VirtualMCPServers (${names}): choose one with --name`;
  return all.find((r) => r.name === name || `${r.namespace}/${r.name}` === name) ?? `no VirtualMCPServer "${name}" (found ${names})`;
}

export function convert(manifest: Manifest, vmcp: Resource, file: string): Imported {
  const notes = new Notes();
  const doc = new Document({});
  const out = doc.contents as YAMLMap;
  const config = isObject(vmcp.spec['config']) ? vmcp.spec['config'] : {};
  const configNode = vmcp.doc.getIn(['spec', 'config'], true);
  const add = (key: string, value: unknown, ...comment: string[]) => {
    const k = doc.createNode(key);
    if (comment.length > 0) k.commentBefore = lines(comment);
    out.items.push(new Pair(k, isNodeLike(value) ? value : doc.createNode(value)));
  };
  const group = refName(vmcp.spec['groupRef']) ?? str(config['groupRef']);
  add('name', str(config['name']) ?? vmcp.name);
  if (group) add('groupRef', group, 'vmcp does not discover group members: backends lists the ones in the manifest');
  if (Object.keys(vmcp.labels).length > 0 && config['metadata'] === undefined)
    add('metadata', { ...vmcp.labels }, "the VirtualMCPServer's labels");
  if (Array.isArray(vmcp.spec['passthroughHeaders'])) add('passthroughHeaders', vmcp.spec['passthroughHeaders']);
  const taken = new Set<string>();
  const members = group ? groupMembers(manifest, group, vmcp.namespace).map((r) => importBackend(r, taken)) : [];
  const incoming = importIncoming(vmcp, manifest, notes);
  if (incoming) add('incomingAuth', incoming);
  else if (config['incomingAuth'] !== undefined) add('incomingAuth', copy(doc, configNode, 'incomingAuth'));
  if (vmcp.spec['outgoingAuth'] !== undefined || config['outgoingAuth'] === undefined)
    add('outgoingAuth', importOutgoing(vmcp, members, manifest, notes));
  else add('outgoingAuth', copy(doc, configNode, 'outgoingAuth'));
  if (Array.isArray(config['backends']) && config['backends'].length > 0) {
    add('backends', copy(doc, configNode, 'backends'), 'spec.config.backends (static): used as written; the group members are not added');
  } else {
    if (members.length === 0)
      notes.attention(
        'backends',
        `no MCPServer, MCPRemoteProxy or MCPServerEntry of group "${group ?? '?'}" in this manifest: list the servers to aggregate here`,
      );
    add('backends', backendSeq(doc, members));
  }
  const storage = sessionStorage(vmcp, notes);
  if (storage) add('sessionStorage', storage);
  if (isMap(configNode)) {
    for (const pair of configNode.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      if (WRITTEN.has(key)) continue;
      const value = isNodeLike(pair.value) ? pair.value.clone() : doc.createNode(pair.value);
      const k = doc.createNode(key);
      if (isNodeLike(pair.key) && pair.key.commentBefore) k.commentBefore = pair.key.commentBefore;
      out.items.push(new Pair(k, value));
    }
  }
  resolveToolConfigs(doc, members, manifest, notes);
  resolveCompositeRefs(doc, manifest, vmcp.namespace, notes);
  fixStaleCompositeKeys(doc, notes);
  for (const key of DEPLOYMENT_KEYS.filter((k) => vmcp.spec[k] !== undefined))
    notes.info('', `spec.${key} dropped: it configures the Kubernetes Deployment`);
  for (const [key, why] of Object.entries(UNSUPPORTED_REFS))
    if (vmcp.spec[key] !== undefined) notes.attention('', `spec.${key} dropped: ${why}`);
  attachNotes(doc, out, notes);
  doc.commentBefore = lines([
    `vmcp config imported by \`vmcp import-toolhive\` from ${file}:`,
    `VirtualMCPServer "${vmcp.name}" (namespace ${vmcp.namespace}). Lines marked ACTION need your attention.`,
    ...notes.list.filter((n) => n.at === '').map(label),
    ...[...notes.env].map(([env, where]) => `env ${env}: in Kubernetes, ${where}`),
  ]);
  return { text: doc.toString({ lineWidth: 0 }), notes, vmcp, backends: members };
}

function backendSeq(doc: Document, members: readonly ImportedBackend[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const b of members) {
    const node = doc.createNode(b.value) as YAMLMap;
    node.commentBefore = lines(b.comment);
    seq.items.push(node);
  }
  return seq;
}

/** compositeToolRefs → the VirtualMCPCompositeToolDefinitions of the manifest, inline under compositeTools. */
function resolveCompositeRefs(doc: Document, manifest: Manifest, namespace: string, notes: Notes): void {
  const refs = doc.get('compositeToolRefs', true);
  if (!isSeq(refs)) return;
  let tools = doc.get('compositeTools', true);
  if (!isSeq(tools)) doc.set('compositeTools', (tools = new YAMLSeq()));
  const left = new YAMLSeq();
  for (const item of refs.items) {
    const name = refName((item as Node).toJSON());
    const def = name ? manifest.find('VirtualMCPCompositeToolDefinition', name, namespace) : undefined;
    const spec = def?.doc.get('spec', true);
    if (!isMap(spec)) {
      left.items.push(item);
      notes.attention(
        'compositeToolRefs',
        `VirtualMCPCompositeToolDefinition "${name ?? '?'}" is not in this manifest: write it under compositeTools`,
      );
      continue;
    }
    const node = spec.clone() as YAMLMap;
    node.commentBefore = ` from VirtualMCPCompositeToolDefinition "${name}"`;
    (tools as YAMLSeq).items.push(node);
  }
  if (left.items.length === 0) doc.delete('compositeToolRefs');
  else doc.set('compositeToolRefs', left);
  if ((tools as YAMLSeq).items.length === 0) doc.delete('compositeTools');
}

function copy(doc: Document, configNode: unknown, key: string): unknown {
  const node = isMap(configNode) ? configNode.get(key, true) : undefined;
  return isNodeLike(node) ? node.clone() : node;
}

/** Each note goes above the top-level key it concerns. */
function attachNotes(doc: Document, out: YAMLMap, notes: Notes): void {
  for (const pair of out.items) {
    if (!isScalar(pair.key)) pair.key = doc.createNode(pair.key); // keys set through doc.set are plain strings
    const key = pair.key as Scalar;
    const name = String(key.value);
    const mine = notes.list.filter((n) => n.at === name || n.at.startsWith(`${name}.`) || n.at.startsWith(`${name}[`));
    if (mine.length === 0) continue;
    const extra = lines(mine.map((n) => `${n.attention ? 'ACTION: ' : ''}${n.at === name ? '' : `${n.at}: `}${n.message}`));
    key.commentBefore = key.commentBefore ? `${key.commentBefore}\n${extra}` : extra;
  }
}

function label(n: { message: string; attention: boolean }): string {
  return n.attention ? `ACTION: ${n.message}` : n.message;
}

function lines(text: readonly string[]): string {
  return text.map((l) => ` ${l}`).join('\n');
}

function isNodeLike(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'clone' in v && typeof (v as { clone: unknown }).clone === 'function';
}
