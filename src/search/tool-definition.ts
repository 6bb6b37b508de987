// The shape of a tool as the search layer sees it: the MCP `Tool` of tools/list (2025-11-25 §Tools),
// typed structurally so this layer needs nothing of the protocol or SDK packages.

export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: Readonly<Record<string, unknown>>;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly _meta?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * Token estimate of a definition as a client receives it: its JSON size in UTF-8 bytes over 4,
 * the rule of thumb for English text and JSON with BPE tokenizers, and exactly ToolHive's
 * counter (pkg/vmcp/optimizer/internal/tokencounter), so `token_metrics` compare across gateways.
 */
export function estimateTokens(tool: ToolDefinition): number {
  return Math.floor(jsonBytes(tool) / 4);
}

// JSON sizes of the objects inside definitions (schemas, annotations), by identity: a catalog
// snapshot copies each definition but shares these, so its token counts cost little more than
// its names and descriptions. Definitions are immutable, so a size never goes stale.
const objectBytes = new WeakMap<object, number>();

/** Buffer.byteLength(JSON.stringify(tool)), member by member. */
export function jsonBytes(tool: ToolDefinition): number {
  if (typeof tool.toJSON === 'function') return Buffer.byteLength(JSON.stringify(tool), 'utf8');
  let bytes = 2;
  let members = 0;
  for (const key of Object.keys(tool)) {
    const value = tool[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    members++;
    bytes += valueBytes(key) + 1 + valueBytes(value);
  }
  return bytes + Math.max(0, members - 1);
}

// A string JSON writes as is: printable ASCII without quotes or backslashes (anything else is measured exactly).
const NEEDS_ESCAPE_OR_UTF8 = /[^\x20-\x7e]|["\\]/;

function valueBytes(value: unknown): number {
  if (typeof value === 'string' && !NEEDS_ESCAPE_OR_UTF8.test(value)) return value.length + 2;
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return Buffer.byteLength(JSON.stringify(value), 'utf8');
  }
  let bytes = objectBytes.get(value);
  if (bytes === undefined) objectBytes.set(value, (bytes = Buffer.byteLength(JSON.stringify(value), 'utf8')));
  return bytes;
}

/** Longest text indexed per field of one tool: bounds memory, and the purpose of a tool is stated up front. */
export const MAX_FIELD_CHARS = 8192;

/** The title field: the tool's title, its annotations' title, or its description's first sentence. */
export function toolTitle(tool: ToolDefinition): string {
  const annotationTitle = tool.annotations?.title;
  const title =
    typeof tool.title === 'string'
      ? tool.title
      : typeof annotationTitle === 'string'
        ? annotationTitle
        : firstSentence(toolDescription(tool));
  return title.slice(0, MAX_FIELD_CHARS);
}

export function toolDescription(tool: ToolDefinition): string {
  return typeof tool.description === 'string' ? tool.description.slice(0, MAX_FIELD_CHARS) : '';
}

/** Input parameter names with their titles, descriptions and enum values (two levels deep), in pieces. */
export function paramTexts(inputSchema: Readonly<Record<string, unknown>> | undefined): string[] {
  const pieces: string[] = [];
  paramPieces(inputSchema, 0, { pieces, chars: 0 });
  return pieces;
}

/**
 * A description's first sentence: where a tool states its purpose; what follows is detail,
 * examples and caveats, whose words say less about what the tool is for. Stands in for a missing title.
 */
export function firstSentence(text: string): string {
  const end = /[.!?](\s|$)|\n\s*\n/.exec(text);
  return (end === null ? text : text.slice(0, end.index)).slice(0, MAX_SUMMARY_CHARS);
}

/** Longest summary taken from a description (a sentence; beyond this it is no summary). */
export const MAX_SUMMARY_CHARS = 300;

interface Pieces {
  readonly pieces: string[];
  chars: number;
}

function add(out: Pieces, text: string): void {
  if (out.chars >= MAX_FIELD_CHARS) return;
  const piece = text.slice(0, MAX_FIELD_CHARS - out.chars);
  out.pieces.push(piece);
  out.chars += piece.length;
}

function paramPieces(schema: Readonly<Record<string, unknown>> | undefined, depth: number, out: Pieces): void {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return;
  for (const key in properties) {
    add(out, key);
    const value = (properties as Record<string, unknown>)[key];
    if (typeof value === 'object' && value !== null) schemaPieces(value as Record<string, unknown>, depth, out);
  }
}

/** A property's title, description and enum values, and (one level down) its own properties'. */
function schemaPieces(node: Record<string, unknown>, depth: number, out: Pieces): void {
  if (typeof node.title === 'string') add(out, node.title);
  if (typeof node.description === 'string') add(out, node.description);
  const items = typeof node.items === 'object' && node.items !== null ? (node.items as Record<string, unknown>) : undefined;
  for (const list of [node.enum, items?.enum]) {
    if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') add(out, v);
  }
  if (depth > 0) return;
  paramPieces(node, 1, out);
  if (items !== undefined) paramPieces(items, 1, out);
}
