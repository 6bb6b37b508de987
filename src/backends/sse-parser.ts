// An incremental text/event-stream parser over Node Buffers (HTML Living Standard, "Server-sent
// events", §9.2.6 interpreting an event stream: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
// It reads the Node stream directly (no web ReadableStream, TextDecoderStream or per-chunk
// promise) and never holds more than `maxEventBytes` of one event: a larger event is skipped up
// to its end and reported, so a backend cannot make the gateway buffer without bound.

export interface SseEvent {
  /** The `event:` field; '' when absent (the spec's default type "message"). */
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** An event grew past the limit; it is dropped and parsing goes on at the next event. */
  onOversize(): void;
  /** The server's `retry:` field, in milliseconds. */
  onRetry?(ms: number): void;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

export class SseParser {
  readonly #limit: number;
  readonly #on: SseHandlers;
  /** The start of a line whose end has not arrived yet. */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #data: string[] = [];
  #eventBytes = 0;
  #event = '';
  #id: string | undefined;
  #skipping = false;
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  #afterCr = false;

  constructor(maxEventBytes: number, handlers: SseHandlers) {
    this.#limit = maxEventBytes;
    this.#on = handlers;
  }

  push(chunk: Buffer): void {
    let start = this.#afterCr && chunk[0] === LF ? 1 : 0;
    this.#afterCr = false;
    let cr = chunk.indexOf(CR, start);
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      const eol = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (eol === -1) {
        this.#hold(chunk.subarray(start));
        return;
      }
      const line = this.#complete(chunk.subarray(start, eol));
      start = eol + 1;
      if (eol === cr) {
        if (start === chunk.length) this.#afterCr = true;
        else if (chunk[start] === LF) start++;
      }
      this.#line(line);
    }
  }

  #hold(piece: Buffer): void {
    if (this.#skipping || piece.length === 0) return;
    this.#partial.push(piece);
    this.#partialBytes += piece.length;
    if (this.#eventBytes + this.#partialBytes > this.#limit) this.#oversize();
  }

  #complete(tail: Buffer): Buffer {
    if (this.#partial.length === 0) return tail;
    const line = Buffer.concat([...this.#partial, tail]);
    this.#partial = [];
    this.#partialBytes = 0;
    return line;
  }

  #line(line: Buffer): void {
    if (line.length === 0) return this.#dispatch();
    if (this.#skipping) return;
    this.#eventBytes += line.length;
    if (this.#eventBytes > this.#limit) return this.#oversize();
    if (line[0] === COLON) return; // a comment (keep-alive)
    const colon = line.indexOf(COLON);
    const field = (colon === -1 ? line : line.subarray(0, colon)).toString('latin1');
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line[valueStart] === SPACE) valueStart++;
    const value = line.toString('utf8', valueStart);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#on.onRetry?.(Number(value));
  }

  #dispatch(): void {
    const skipped = this.#skipping;
    const data = this.#data;
    const event = { event: this.#event, data: data.join('\n'), id: this.#id };
    this.#data = [];
    this.#event = '';
    this.#eventBytes = 0;
    this.#skipping = false;
    if (!skipped && data.length > 0) this.#on.onEvent(event);
  }

  #oversize(): void {
    this.#skipping = true;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#data = [];
    this.#eventBytes = 0;
    this.#on.onOversize();
  }
}
