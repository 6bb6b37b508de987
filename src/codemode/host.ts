// What code mode needs from the gateway, and nothing more: the caller's view of the tools and a
// way to call one on the caller's behalf. The gateway implements it with its own request chain
// (authorization, metrics, audit, progress, cancellation), so every call a script makes is
// checked exactly like a call the client made itself.

/** A JSON Schema object as tools/list carries it (only what the declarations read is typed). */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema | readonly JsonSchema[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly [keyword: string]: unknown;
}

/** A tool as the caller sees it in tools/list. */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly [field: string]: unknown;
}

/** A content block of a tool result (MCP `ContentBlock`); only text is read here. */
export interface ContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly [field: string]: unknown;
}

/** A `tools/call` result as JSON. */
export interface CallToolResultJson {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface InnerCallOptions {
  /** Aborted when the call times out, the script ends or the caller cancels. */
  readonly signal: AbortSignal;
  /** The most this call may take: codeMode.toolCallTimeout, or less when the script has less left. */
  readonly timeoutMs: number;
}

export interface CodeModeHost {
  /** The tools this caller may call (already filtered by authorization); read once per script. */
  tools(): readonly ToolDefinition[];
  /**
   * Call one tool as the caller. A thrown error reaches the script as a ToolError carrying its
   * `message` and `code` (a VmcpError's code, a JSON-RPC error's number); so does an `isError` result.
   */
  callTool(name: string, args: Record<string, unknown>, options: InnerCallOptions): Promise<CallToolResultJson>;
}
