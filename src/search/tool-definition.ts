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
  return Math.floor(Buffer.byteLength(JSON.stringify(tool), 'utf8') / 4);
}

/** Longest text indexed per field of one tool: bounds memory, and the purpose of a tool is stated up front. */
export const MAX_FIELD_CHARS = 8192;

export interface ToolText {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Input parameter names with their titles, descriptions and enum values (two levels deep). */
  readonly params: string;
}

export function toolText(tool: ToolDefinition): ToolText {
  const annotationTitle = tool.annotations?.title;
  const title = typeof tool.title === 'string' ? tool.title : typeof annotationTitle === 'string' ? annotationTitle : '';
  return {
    name: tool.name,
    title: title.slice(0, MAX_FIELD_CHARS),
    description: (typeof tool.description === 'string' ? tool.description : '').slice(0, MAX_FIELD_CHARS),
    params: paramText(tool.inputSchema).slice(0, MAX_FIELD_CHARS),
  };
}

function paramText(schema: ToolDefinition['inputSchema'], depth = 0): string {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(properties as Record<string, unknown>)) {
    parts.push(key);
    if (typeof value === 'object' && value !== null) parts.push(...schemaWords(value as Record<string, unknown>, depth));
  }
  return parts.join(' \n ');
}

/** A property's title, description and enum values, and (one level down) its own properties'. */
function schemaWords(node: Record<string, unknown>, depth: number): string[] {
  const out: string[] = [];
  for (const key of ['title', 'description'] as const) if (typeof node[key] === 'string') out.push(node[key]);
  const items = typeof node.items === 'object' && node.items !== null ? (node.items as Record<string, unknown>) : undefined;
  for (const list of [node.enum, items?.enum]) {
    if (Array.isArray(list)) out.push(list.filter((v): v is string => typeof v === 'string').join(' '));
  }
  if (depth === 0) out.push(paramText(node, 1), ...(items === undefined ? [] : [paramText(items, 1)]));
  return out;
}
