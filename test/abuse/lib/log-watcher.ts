// Reads the gateway's JSON log lines (stderr) without keeping them all: a flood test must not
// itself run out of memory. It counts lines per backend and keeps a bounded sample for messages.
import type { Readable } from 'node:stream';

export interface LogLine {
  raw: string;
  msg?: string;
  backend?: string;
  level?: number;
}

const KEEP = 2000;
const TAIL = 50;

export class LogWatcher {
  /** Every line seen. */
  lines = 0;
  bytes = 0;
  #byBackend = new Map<string, number>();
  #kept: LogLine[] = [];
  #tail: string[] = [];
  #partial = '';

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => this.#feed(chunk.toString()));
  }

  #feed(text: string): void {
    this.bytes += Buffer.byteLength(text);
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const raw of parts) if (raw) this.#line(raw);
  }

  #line(raw: string): void {
    this.lines += 1;
    const line = parse(raw);
    if (line.backend) this.#byBackend.set(line.backend, (this.#byBackend.get(line.backend) ?? 0) + 1);
    // Keep the first lines, and any line that looks like a warning, an error or a summary.
    if (this.#kept.length < KEEP && (this.#kept.length < KEEP / 2 || (line.level ?? 50) >= 40 || /suppress/i.test(raw))) {
      this.#kept.push({ ...line, raw: raw.slice(0, 2000) });
    }
    this.#tail.push(raw.slice(0, 500));
    if (this.#tail.length > TAIL) this.#tail.shift();
  }

  /** Lines logged with `backend: name`. */
  countFor(backend: string): number {
    return this.#byBackend.get(backend) ?? 0;
  }

  /** Kept lines whose raw text matches. */
  matching(re: RegExp): LogLine[] {
    return this.#kept.filter((l) => re.test(l.raw));
  }

  tail(n = TAIL): string {
    return this.#tail.slice(-n).join('\n');
  }
}

function parse(raw: string): LogLine {
  if (!raw.startsWith('{')) return { raw };
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    return {
      raw,
      ...(typeof o['msg'] === 'string' ? { msg: o['msg'] } : {}),
      ...(typeof o['backend'] === 'string' ? { backend: o['backend'] } : {}),
      ...(typeof o['level'] === 'number' ? { level: o['level'] } : {}),
    };
  } catch {
    return { raw };
  }
}
