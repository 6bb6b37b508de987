// Newline-delimited JSON-RPC from a backend's stdout, bounded: a line longer than `maxBytes` is
// never buffered; its bytes are only scanned for the message's top-level "id", so the one call it
// answers can fail with an error naming the limit while the connection (and every other call on
// it) goes on. An unbounded read buffer would let one huge result exhaust memory, and treating the
// overflow as a lost connection would fail every other session's calls on the shared process.
import { IdScanner } from './id-scanner.js';

export interface LineSink {
  line(text: string): void;
  /** A line that exceeded the bound: its size and, when found, its top-level JSON-RPC id. */
  overflow(bytes: number, id: string | number | undefined): void;
}

export class LineReader {
  readonly #maxBytes: number;
  readonly #sink: LineSink;
  #parts: Buffer[] = [];
  #size = 0;
  #scanner: IdScanner | undefined;

  constructor(maxBytes: number, sink: LineSink) {
    this.#maxBytes = maxBytes;
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      this.#take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.#finish();
      start = nl + 1;
    }
  }

  #take(part: Buffer): void {
    if (part.length === 0) return;
    this.#size += part.length;
    if (this.#scanner) return this.#scanner.push(part);
    if (this.#size <= this.#maxBytes) {
      this.#parts.push(part);
      return;
    }
    // Over the bound: stop buffering, scan what we have and everything up to the newline.
    this.#scanner = new IdScanner();
    for (const p of this.#parts) this.#scanner.push(p);
    this.#scanner.push(part);
    this.#parts = [];
  }

  #finish(): void {
    if (this.#scanner) this.#sink.overflow(this.#size, this.#scanner.id);
    else if (this.#size > 0) this.#sink.line(Buffer.concat(this.#parts, this.#size).toString('utf8'));
    this.#parts = [];
    this.#size = 0;
    this.#scanner = undefined;
  }
}
