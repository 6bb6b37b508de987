// One POST's answer. The spec lets the server answer a request with plain JSON or with an SSE
// stream; the gateway answers with JSON when the call produced no mid-call traffic (the common
// case: cheapest for both sides), and switches to SSE the moment something must be sent before
// the response (progress, a log message, a request for input), so nothing is ever lost behind it.
import type { ServerResponse } from 'node:http';
import type { JsonObject } from '../../protocol/index.js';
import { bodyLength, jsonBody } from '../list-body.js';
import { SSE_HEADERS, startKeepAlive, writeEvent } from './sse.js';

export class PostExchange {
  readonly #res: ServerResponse;
  readonly #headers: Record<string, string>;
  readonly #expected: number;
  readonly #batch: boolean;
  readonly #responses: JsonObject[] = [];
  #streaming = false;

  /** `expected`: responses this POST owes (one per request in it); `batch`: the body was an array. */
  constructor(res: ServerResponse, headers: Record<string, string>, expected: number, batch: boolean) {
    this.#res = res;
    this.#headers = headers;
    this.#expected = expected;
    this.#batch = batch;
  }

  /** The client went away: nothing more can be delivered on this exchange. */
  get gone(): boolean {
    return this.#res.destroyed || this.#res.writableEnded;
  }

  /** A notification or a server→client request belonging to this POST's requests. */
  send(message: JsonObject): boolean {
    if (!this.#streaming) this.#startStream();
    return writeEvent(this.#res, message);
  }

  respond(response: JsonObject): void {
    this.#responses.push(response);
    if (this.#responses.length < this.#expected) return;
    if (this.#streaming) {
      for (const r of this.#responses) writeEvent(this.#res, r);
      this.#res.end();
      return;
    }
    if (this.#res.headersSent || this.#res.destroyed) return;
    const body = this.#batch ? JSON.stringify(this.#responses) : jsonBody(this.#responses[0]!);
    this.#res.writeHead(200, { 'content-type': 'application/json', 'content-length': bodyLength(body), ...this.#headers });
    if (typeof body === 'string') return void this.#res.end(body);
    this.#res.cork();
    for (const piece of body) this.#res.write(piece);
    this.#res.end();
  }

  #startStream(): void {
    this.#streaming = true;
    if (this.#res.headersSent || this.#res.destroyed) return;
    this.#res.writeHead(200, { ...SSE_HEADERS, ...this.#headers });
    this.#res.flushHeaders();
    startKeepAlive(this.#res);
  }
}
