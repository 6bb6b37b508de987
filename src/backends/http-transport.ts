// The Streamable HTTP backend transport (MCP 2025-06-18 "Transports" §2; 2026-07-28 per-request
// streams) on a keep-alive undici Pool, speaking to Node streams: no fetch, no web streams, no
// per-request listener on a shared signal. It implements the SDK's `Transport` as the SDK's own
// StreamableHTTPClientTransport behaves (session id, MCP-Protocol-Version after initialize, JSON or
// SSE answers, the optional GET stream, DELETE on close, 404 → session lost) and adds: a bound on
// each result (`maxResultBytes`), the POSTed request each mid-call message arrived under
// (`originOf`), and non-2xx answers summarised, never repeated.
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { SdkError, SdkErrorCode, type JSONRPCMessage, type Transport, type TransportSendOptions } from '@modelcontextprotocol/client';
import type { HeaderSource } from './auth-fetch.js';
import { MODERN_REVISION } from '../protocol/index.js';
import { discard, httpFailure, readBounded } from './http-body.js';
import { Exchange } from './http-exchange.js';
import { commonHeaders, envelopeVersion, lowerCased, postHeaders, type Connection, type Headers } from './http-headers.js';
import { readEvents, StandaloneStream, type RequestId, type StreamHost } from './http-event-stream.js';

/** Default bound on one backend result (a JSON body or one SSE event), in bytes. */
export const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024;
/** Default bound on sockets to one backend (calls beyond it queue in the pool). */
export const DEFAULT_MAX_CONNECTIONS = 64;
/** How long close() waits for the session DELETE. */
const DELETE_TIMEOUT_MS = 1000;

export interface HttpTransportOptions {
  url: URL;
  /** The backend's name, for error messages. */
  backend: string;
  /** Configured headers, on every request (they may hold credentials: never logged). */
  headers?: Readonly<Record<string, string>>;
  /** Outgoing-auth headers, asked fresh for every request (tokens expire and rotate). */
  authHeaders?: HeaderSource;
  maxResultBytes?: number;
  maxConnections?: number;
}

type Response = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable };
type Rpc = { id?: RequestId; method?: unknown };

export class HttpBackendTransport implements Transport {
  readonly hasPerRequestStream = true;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  readonly #opts: HttpTransportOptions;
  readonly #path: string;
  readonly #pool: Pool;
  readonly #fixed: Headers;
  readonly #limit: number;
  readonly #conn: Connection = { sessionId: undefined, protocolVersion: undefined };
  readonly #live = new Set<Exchange>();
  readonly #origins = new WeakMap<object, RequestId>();
  readonly #host: StreamHost;
  #standalone: StandaloneStream | undefined;
  #state: 'new' | 'started' | 'closed' = 'new';

  constructor(opts: HttpTransportOptions) {
    this.#opts = opts;
    this.#path = `${opts.url.pathname}${opts.url.search}`;
    this.#fixed = lowerCased(opts.headers);
    this.#limit = opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.#host = {
      limit: this.#limit,
      deliver: (m, origin) => this.#deliver(m, origin),
      tooLarge: (id) => this.#tooLarge(id),
      error: (err) => this.onerror?.(err),
    };
    // Deadlines are the connector's (reset by progress); undici's own timers would cut long calls.
    this.#pool = new Pool(opts.url.origin, {
      connections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  get sessionId(): string | undefined {
    return this.#conn.sessionId;
  }
  get protocolVersion(): string | undefined {
    return this.#conn.protocolVersion;
  }
  setProtocolVersion(version: string): void {
    this.#conn.protocolVersion = version;
  }

  /** The JSON-RPC id of the POSTed request on whose response stream `message` arrived. */
  originOf(message: object): RequestId | undefined {
    return this.#origins.get(message);
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('HttpBackendTransport already started');
    this.#state = 'started';
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.#state === 'closed') throw new SdkError(SdkErrorCode.NotConnected, `transport to backend "${this.#opts.backend}" is closed`);
    if (options?.resumptionToken) throw new SdkError(SdkErrorCode.SendFailed, 'stream resumption is not supported');
    const headers = postHeaders(await this.#common(), message, options?.headers);
    const exchange = new Exchange(this.#live, options?.requestSignal);
    try {
      const res = await this.#request('POST', headers, exchange, JSON.stringify(message));
      await this.#onPostResponse(message as Rpc, res, exchange, options);
    } catch (err) {
      exchange.end();
      if (!exchange.aborted) this.onerror?.(err as Error);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#standalone?.stop();
    for (const ex of [...this.#live]) ex.abort();
    try {
      if (this.#conn.sessionId) await this.#delete(AbortSignal.timeout(DELETE_TIMEOUT_MS)).catch(() => undefined);
    } finally {
      void this.#pool.destroy().catch(() => undefined);
      this.onclose?.();
    }
  }

  /** DELETE the session (MCP "Session Management": a server may answer 405, meaning it keeps it). */
  async terminateSession(): Promise<void> {
    if (!this.#conn.sessionId) return;
    await this.#delete();
    this.#conn.sessionId = undefined;
  }

  async #common(): Promise<Headers> {
    return commonHeaders(this.#fixed, await this.#opts.authHeaders?.(), this.#conn);
  }

  #request(method: 'POST' | 'GET' | 'DELETE', headers: Headers, exchange: { signal: AbortSignal }, body?: string): Promise<Response> {
    return this.#pool.request({ path: this.#path, method, headers, body, signal: exchange.signal }) as Promise<Response>;
  }

  async #onPostResponse(message: Rpc, res: Response, exchange: Exchange, options: TransportSendOptions | undefined): Promise<void> {
    const status = res.statusCode;
    if (status < 200 || status > 299) return this.#onPostFailure(message, res, exchange);
    if (message.method === 'initialize') this.#conn.sessionId = single(res.headers['mcp-session-id']);
    const id = message.method !== undefined ? message.id : undefined;
    if (status === 202 || id === undefined) {
      discard(res.body);
      exchange.end();
      if (status === 202 && message.method === 'notifications/initialized') this.#openStandalone();
      return;
    }
    const type = mediaType(res.headers['content-type']);
    if (type === 'application/json') return this.#readJson(res.body, exchange, id);
    if (type === 'text/event-stream') {
      void readEvents(this.#host, res.body, id).then((outcome) => {
        exchange.end();
        if (outcome !== 'answered' && !exchange.aborted) options?.onRequestStreamEnd?.();
      });
      return;
    }
    discard(res.body);
    exchange.end();
    throw new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `Unexpected content type: ${type ?? 'none'}`, { contentType: type });
  }

  async #onPostFailure(message: Rpc, res: Response, exchange: Exchange): Promise<void> {
    const failure = await httpFailure(
      this.#opts.backend,
      message.method === undefined ? 'a response' : String(message.method),
      describe(res),
      res.body,
    );
    exchange.end();
    // A 2026-07-28 server answers a refused enveloped request with 400 and a JSON-RPC error for
    // that id: it is the answer to the request, not a transport failure.
    const text = (failure.data as { text?: string } | undefined)?.text;
    const claim = envelopeVersion(message as JSONRPCMessage);
    if (res.statusCode === 400 && text && claim !== undefined && claim >= MODERN_REVISION) {
      const rpc = JSON.parse(text) as { id: unknown };
      if (rpc.id === message.id) return void this.onmessage?.(rpc as JSONRPCMessage);
    }
    throw failure;
  }

  async #readJson(body: Readable, exchange: Exchange, id: RequestId): Promise<void> {
    const read = await readBounded(body, this.#limit).finally(() => exchange.end());
    if (read.kind === 'too-large') return this.#tooLarge(id);
    const data = JSON.parse(read.text) as unknown;
    for (const m of Array.isArray(data) ? data : [data]) this.#deliver(m, undefined);
  }

  #deliver(raw: unknown, origin: RequestId | undefined): boolean {
    const m = raw as { jsonrpc?: unknown; method?: unknown; id?: unknown } | null;
    if (!m || typeof m !== 'object' || m.jsonrpc !== '2.0') {
      this.onerror?.(new Error(`backend "${this.#opts.backend}" sent something that is not a JSON-RPC 2.0 message`));
      return false;
    }
    const isResponse = m.method === undefined;
    if (!isResponse && origin !== undefined) this.#origins.set(m, origin);
    this.onmessage?.(m as JSONRPCMessage);
    return isResponse;
  }

  /** An oversized answer fails that request only; the connection and other calls go on. */
  #tooLarge(id: RequestId | undefined): void {
    const { backend } = this.#opts;
    const message = `Backend "${backend}" sent a result larger than maxResultBytes (${this.#limit} bytes); it was dropped`;
    if (id === undefined) return void this.onerror?.(new Error(message));
    const data = { code: RESULT_TOO_LARGE, backend, limit: this.#limit };
    this.onmessage?.({ jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message, data } } as JSONRPCMessage);
  }

  /** The GET stream for server-initiated messages; a server without one answers 405. */
  #openStandalone(): void {
    this.#standalone = new StandaloneStream(this.#host, async (signal) => {
      if (this.#state === 'closed') return undefined;
      const headers = await this.#common();
      headers['accept'] = 'text/event-stream';
      const res = await this.#request('GET', headers, { signal });
      if (res.statusCode === 405) return void discard(res.body);
      if (res.statusCode < 200 || res.statusCode > 299)
        throw await httpFailure(this.#opts.backend, 'the event-stream GET', describe(res), res.body);
      if (mediaType(res.headers['content-type']) !== 'text/event-stream') return void discard(res.body);
      return res.body;
    });
  }

  async #delete(signal?: AbortSignal): Promise<void> {
    const headers = await this.#common();
    const res = await this.#pool.request({ path: this.#path, method: 'DELETE', headers, ...(signal ? { signal } : {}) });
    const failed = res.statusCode !== 405 && (res.statusCode < 200 || res.statusCode > 299);
    if (failed) throw await httpFailure(this.#opts.backend, 'the session DELETE', describe(res as Response), res.body);
    discard(res.body);
  }
}

const RESULT_TOO_LARGE = 'VMCP_RESULT_TOO_LARGE';
const INTERNAL_ERROR = -32603;

function single(v: string | string[] | undefined): string | undefined {
  return (Array.isArray(v) ? v[0] : v) || undefined;
}

function mediaType(v: string | string[] | undefined): string | undefined {
  return single(v)?.split(';', 1)[0]?.trim().toLowerCase();
}

function describe(res: Response) {
  return { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', contentType: mediaType(res.headers['content-type']) };
}
