// Raw HTTP toward the gateway (node:http, so Host, source address and every header are ours):
// JSON-RPC bodies out, and the answer back parsed from JSON or an SSE stream.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export const LEGACY_VERSION = '2025-11-25';
export const MODERN_VERSION = '2026-07-28';

export interface JsonRpcError {
  code: number;
  message: string;
  data?: { code?: string; limit?: string; [k: string]: unknown };
}

export interface JsonRpcMessage {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  result?: Record<string, unknown>;
  error?: JsonRpcError;
  params?: unknown;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** JSON-RPC messages in the body (one JSON value, or every SSE `data:` event). */
  messages: JsonRpcMessage[];
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: Agent | false;
  /** Source address, e.g. 127.0.0.2 (Linux routes all of 127/8 to loopback). */
  localAddress?: string;
  timeoutMs?: number;
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** One HTTP exchange; rejects only on a transport failure (reset, timeout), never on a status. */
export function raw(url: string, opts: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'POST',
        // A body is always framed: Node sends an OPTIONS or DELETE body without Content-Length,
        // which the server would rightly parse as the start of the next request.
        headers:
          opts.body === undefined
            ? opts.headers
            : { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers },
        ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, messages: parseMessages(text) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no complete answer within ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function parseMessages(text: string): JsonRpcMessage[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const values: unknown[] = [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      values.push(JSON.parse(trimmed));
    } catch {
      return [];
    }
  } else {
    for (const m of text.matchAll(/^data: ?(.*)$/gm)) {
      try {
        values.push(JSON.parse(m[1]!));
      } catch {
        // a non-JSON event: not a message
      }
    }
  }
  return values.flat().filter((v): v is JsonRpcMessage => typeof v === 'object' && v !== null);
}

/** The response to request `id` (or the only message), if any. */
export function answer(res: RawResponse, id?: unknown): JsonRpcMessage | undefined {
  return res.messages.find((m) => (id === undefined || m.id === id) && ('result' in m || 'error' in m));
}

/** "HTTP 400 {…}" for assertion messages: what the gateway really said. */
export function seen(res: RawResponse | undefined): string {
  if (!res) return 'no response';
  const retry = res.headers['retry-after'] === undefined ? '' : ` retry-after=${String(res.headers['retry-after'])}`;
  return `HTTP ${res.status}${retry} ${res.text.slice(0, 400).replace(/\s+/g, ' ')}`;
}

export function initializeBody(id: number | string = 1, name = 'abuse'): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name, version: '1' } },
  });
}

export function legacyHeaders(sessionId: string): Record<string, string> {
  return { 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY_VERSION };
}

/** A full 2025-era handshake over raw HTTP; returns the session id. */
export async function openSession(url: string, opts: RawOptions = {}): Promise<string> {
  const init = await raw(url, { ...opts, body: initializeBody() });
  const sid = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sid !== 'string') throw new Error(`initialize failed: ${seen(init)}`);
  const note = await raw(url, {
    ...opts,
    headers: legacyHeaders(sid),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (note.status >= 300) throw new Error(`notifications/initialized failed: ${seen(note)}`);
  return sid;
}

/** The `_meta` a 2026-07-28 client puts in every request (no session, no initialize). */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'abuse', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** Headers of a 2026-07-28 request (`name`: the tool, prompt or URI it addresses). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) };
}

/** A 2026-07-28 tools/call as raw text; `args` is spliced in verbatim (it may be hostile JSON). */
export function modernToolCall(id: number, name: string, argsJson: string): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${argsJson},"_meta":${JSON.stringify(MODERN_META)}}}`;
}

/** A 2025-era tools/call as raw text; `args` is spliced in verbatim. */
export function legacyToolCall(id: number, name: string, argsJson: string): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${argsJson}}}`;
}

/** `{"v":[[[…]]]}` nested `depth` levels deep. */
export function deepJson(depth: number): string {
  return `{"v":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}
