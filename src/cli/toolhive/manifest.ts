// A ToolHive Kubernetes manifest, read as `kubectl apply -f` would take it: a multi-document YAML
// stream of toolhive.stacklok.dev resources. Each document keeps its parsed YAML so spec.config
// can be carried over with its own comments.
import { parseAllDocuments, type Document } from 'yaml';

export interface Resource {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
  readonly labels: Readonly<Record<string, string>>;
  /** The document it came from (for its nodes and their comments). */
  readonly doc: Document.Parsed;
}

export class Manifest {
  constructor(readonly resources: readonly Resource[]) {}

  all(kind: string, namespace?: string): Resource[] {
    return this.resources.filter((r) => r.kind === kind && (namespace === undefined || r.namespace === namespace));
  }

  find(kind: string, name: string, namespace: string): Resource | undefined {
    return this.resources.find((r) => r.kind === kind && r.name === name && r.namespace === namespace);
  }
}

/** The manifest, or the first YAML syntax error with its line. */
export function readManifest(text: string): Manifest | { error: string } {
  const resources: Resource[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('errors' in doc)) return { error: 'not a YAML document stream' };
    const err = doc.errors[0];
    if (err) return { error: `YAML error at line ${err.linePos?.[0].line ?? '?'}: ${err.message.split('\n')[0]}` };
    const value: unknown = doc.toJS();
    if (!isObject(value) || typeof value['kind'] !== 'string') continue;
    const meta = isObject(value['metadata']) ? value['metadata'] : {};
    resources.push({
      kind: value['kind'],
      name: typeof meta['name'] === 'string' ? meta['name'] : '',
      namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default',
      spec: isObject(value['spec']) ? value['spec'] : {},
      labels: isObject(meta['labels']) ? (meta['labels'] as Record<string, string>) : {},
      doc,
    });
  }
  return new Manifest(resources);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `{name}` references (groupRef, toolConfigRef, …); ToolHive also accepts a bare string in places. */
export function refName(v: unknown): string | undefined {
  return typeof v === 'string' ? str(v) : isObject(v) ? str(v['name']) : undefined;
}
