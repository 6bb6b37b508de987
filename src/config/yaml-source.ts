// YAML text → plain data, plus a way back from a data path to the line and column it came from.
// Keeping the parsed Document (not just its JS value) is what lets every later stage — schema,
// ${VAR} expansion, cross-field rules — report the line of the node it complains about.
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { error, warning } from './issues.js';
import type { PathSegment, Position, RawIssue } from './issues.js';

export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface ParsedYaml {
  readonly source: YamlSource;
  /** undefined when the text is too broken to build a value from. */
  readonly data: unknown;
  /** Syntax problems, each with its position. */
  readonly issues: readonly RawIssue[];
}

// A duplicate key leaves a well-formed tree behind, so later stages can still run; any other
// syntax error can shift every node, and schema errors about that tree would only mislead.
const STRUCTURE_SAFE = new Set(['DUPLICATE_KEY']);

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // prettyErrors off: the pretty form quotes the offending source line, which may hold a secret.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const issues: RawIssue[] = [];
  const add = (e: YAMLError, severity: 'error' | 'warning'): void => {
    const duplicate = e.code === 'DUPLICATE_KEY' ? findKeyAt(doc, e.pos[0]) : undefined;
    const message = duplicate === undefined ? yamlMessage(e) : `duplicate key "${duplicate.key}"`;
    const path = duplicate?.path ?? [];
    const base = severity === 'error' ? error(path, message) : warning(path, message);
    issues.push({ ...base, position: offsetToPosition(lineCounter, e.pos[0]) });
  };
  doc.errors.forEach((e) => add(e, 'error'));
  doc.warnings.forEach((e) => add(e, 'warning'));
  const usable = doc.errors.every((e) => STRUCTURE_SAFE.has(e.code));
  return { source: { doc, lineCounter }, data: usable ? toData(doc, issues) : undefined, issues };
}

function toData(doc: Document.Parsed, issues: RawIssue[]): unknown {
  try {
    // maxAliasCount bounds "billion laughs" alias expansion.
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    issues.push({ ...error([], `YAML: ${e instanceof Error ? e.message : String(e)}`), position: { line: 1, column: 1 } });
    return undefined;
  }
}

function yamlMessage(e: YAMLError): string {
  // The library's own wording here names its API, which means nothing to someone editing YAML.
  if (e.code === 'MULTIPLE_DOCS') return 'YAML: the file must hold one document (found another after "---")';
  return `YAML: ${e.message}`;
}

/** The key starting at `offset` and its path, to name a duplicated key (a key, never a value). */
function findKeyAt(doc: Document.Parsed, offset: number): { key: string; path: PathSegment[] } | undefined {
  let found: { key: string; path: PathSegment[] } | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const key = String(pair.key.value);
      found = { key, path: [...pathOf(ancestors), key] };
      return visit.BREAK;
    },
  });
  return found;
}

function pathOf(ancestors: readonly unknown[]): PathSegment[] {
  const path: PathSegment[] = [];
  ancestors.forEach((node, i) => {
    const next = ancestors[i + 1];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (isSeq(node) && next !== undefined) path.push(node.items.indexOf(next as never));
  });
  return path;
}

function offsetToPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * The position of the node at `path`, or of its nearest existing ancestor. A scalar value points
 * at the value; a collection (or `atKey`) points at its key, because a block collection starts on
 * the line after its key and the key is what a reader looks for.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], atKey = false): Position {
  let node: unknown = source.doc.contents;
  let best: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    // Inside an alias the nodes live at the anchor; the alias is where this use was written.
    if (isAlias(node)) break;
    const step = childOf(node, path[i]);
    if (step === undefined) break;
    const last = i === path.length - 1;
    const useKey = step.key !== undefined && (atKey && last ? true : !isScalar(step.value));
    best = (useKey ? rangeStart(step.key) : rangeStart(step.value)) ?? rangeStart(step.key) ?? best;
    node = step.value;
  }
  return best === undefined ? { line: 1, column: 1 } : offsetToPosition(source.lineCounter, best);
}

interface Step {
  readonly key?: unknown;
  readonly value: unknown;
}

function childOf(node: unknown, segment: PathSegment | undefined): Step | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
