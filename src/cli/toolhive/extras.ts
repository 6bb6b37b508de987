// Smaller parts of an import: MCPToolConfig references (from aggregation.tools[].toolConfigRef or
// an MCPServer's spec.toolConfigRef) become aggregation.tools filters and overrides, and the
// VirtualMCPServer's sessionStorage its vmcp key.
import { isMap, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import type { ImportedBackend } from './backends.js';
import { isObject, refName, str, type Manifest, type Resource } from './manifest.js';
import type { Notes } from './notes.js';

export function resolveToolConfigs(doc: Document, members: readonly ImportedBackend[], manifest: Manifest, notes: Notes): void {
  const lookup = (name: string | undefined, namespace: string) => (name ? manifest.find('MCPToolConfig', name, namespace) : undefined);
  const tools = doc.getIn(['aggregation', 'tools'], true);
  const ns = members[0]?.resource.namespace ?? 'default';
  if (isSeq(tools)) {
    for (const entry of tools.items) {
      if (!isMap(entry) || !entry.has('toolConfigRef')) continue;
      const name = refName((entry.get('toolConfigRef', true) as { toJSON(): unknown }).toJSON());
      entry.delete('toolConfigRef');
      const config = lookup(name, ns);
      if (!config) {
        notes.attention('aggregation.tools', `MCPToolConfig "${name ?? '?'}" is not in this manifest: write its filter and overrides here`);
        continue;
      }
      apply(doc, entry, config);
    }
  }
  for (const b of members) {
    const name = refName(b.resource.spec['toolConfigRef']);
    if (!name) continue;
    const config = lookup(name, b.resource.namespace);
    if (!config) {
      notes.attention('aggregation', `MCPToolConfig "${name}" of ${b.resource.kind} "${b.resource.name}" is not in this manifest`);
      continue;
    }
    const list = ensureTools(doc);
    if (list.items.some((e) => isMap(e) && e.get('workload') === b.name)) {
      notes.attention(
        'aggregation.tools',
        `MCPToolConfig "${name}" of "${b.name}" not merged: aggregation.tools already has an entry for it`,
      );
      continue;
    }
    const entry = doc.createNode({ workload: b.name }) as YAMLMap;
    entry.commentBefore = ` from MCPToolConfig "${name}" (applied by the server's proxy in ToolHive)`;
    apply(doc, entry, config);
    list.items.push(entry);
  }
}

function apply(doc: Document, entry: YAMLMap, config: Resource): void {
  const filter = config.spec['toolsFilter'];
  const overrides = config.spec['toolsOverride'];
  if (Array.isArray(filter) && filter.length > 0 && !entry.has('filter')) entry.set('filter', doc.createNode(filter));
  if (isObject(overrides) && Object.keys(overrides).length > 0 && !entry.has('overrides'))
    entry.set('overrides', doc.createNode(overrides));
}

function ensureTools(doc: Document): YAMLSeq {
  const found = doc.get('aggregation', true);
  const agg = isMap(found) ? found : new YAMLMap();
  if (agg !== found) doc.set('aggregation', agg);
  const tools = agg.get('tools', true);
  if (isSeq(tools)) return tools;
  const list = new YAMLSeq();
  agg.set('tools', list);
  return list;
}

export function sessionStorage(vmcp: Resource, notes: Notes): Record<string, unknown> | undefined {
  const spec = isObject(vmcp.spec['sessionStorage']) ? vmcp.spec['sessionStorage'] : undefined;
  if (!spec) return undefined;
  const out: Record<string, unknown> = { provider: str(spec['provider']) ?? 'memory' };
  if (str(spec['address'])) out['address'] = spec['address'];
  if (typeof spec['db'] === 'number' && spec['db'] !== 0) out['db'] = spec['db'];
  if (str(spec['keyPrefix'])) out['keyPrefix'] = spec['keyPrefix'];
  if (spec['passwordRef']) out['passwordEnv'] = notes.secretEnv(spec['passwordRef'], 'redis-password');
  return out;
}

/**
 * Keys ToolHive's own composite examples use that its Go types do not have: `failureMode` (a
 * failed step aborts unless its onError says otherwise) and `onError.maxRetries` (`retryCount`).
 */
export function fixStaleCompositeKeys(doc: Document, notes: Notes): void {
  const tools = doc.get('compositeTools', true);
  if (!isSeq(tools)) return;
  tools.items.forEach((tool, i) => {
    if (!isMap(tool)) return;
    if (tool.has('failureMode')) {
      notes.info(
        'compositeTools',
        `compositeTools[${i}].failureMode dropped: no such key in ToolHive's types; steps abort on error unless their onError says continue`,
      );
      tool.delete('failureMode');
    }
    const steps = tool.get('steps', true);
    if (!isSeq(steps)) return;
    for (const step of steps.items) {
      const onError = isMap(step) ? step.get('onError', true) : undefined;
      if (!isMap(onError) || !onError.has('maxRetries')) continue;
      if (!onError.has('retryCount')) onError.set('retryCount', onError.get('maxRetries', true));
      onError.delete('maxRetries');
      notes.info('compositeTools', "onError.maxRetries written as retryCount (the key in ToolHive's types)");
    }
  });
}
