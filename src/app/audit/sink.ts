// Where audit events go: JSON lines appended to `audit.logFile` (mode 0600), reopened on SIGHUP so
// logrotate can rename the file and signal, or stdout (its own stream: the logger writes stderr).
// Writes are bounded: past MAX_BUFFERED_BYTES not yet written (a stuck disk or pipe) events are
// dropped and counted, with a warning, rather than growing memory without end.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { channels, publish } from '../../observability/channels.js';

export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class AuditSink {
  readonly #file: string | undefined;
  #out: Writable;
  #dropped = 0;
  #closed = false;
  readonly #onHup = () => this.reopen();

  constructor(file: string | undefined, stdout: Writable = process.stdout) {
    this.#file = file;
    this.#out = file === undefined ? stdout : this.#open(file);
    if (file !== undefined) process.on('SIGHUP', this.#onHup);
  }

  /** Events dropped because the output could not keep up. */
  get dropped(): number {
    return this.#dropped;
  }

  write(event: object): void {
    if (this.#closed) return;
    if (this.#out.writableLength > MAX_BUFFERED_BYTES) {
      if (this.#dropped++ === 0) warn(`audit output is not keeping up (over ${MAX_BUFFERED_BYTES} bytes queued): dropping events`);
      return;
    }
    this.#out.write(`${JSON.stringify(event)}\n`);
  }

  /** Start a new file at the configured path (after logrotate renamed the old one); the old stream finishes its writes. */
  reopen(): void {
    if (this.#closed || this.#file === undefined) return;
    const old = this.#out;
    this.#out = this.#open(this.#file);
    old.end();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    process.off('SIGHUP', this.#onHup);
    if (this.#file === undefined) return;
    const out = this.#out as WriteStream;
    out.end();
    if (!out.closed) await once(out, 'close').catch(() => undefined);
  }

  #open(file: string): WriteStream {
    const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    stream.on('error', (err) => warn(`audit log ${file}: ${err.message}`));
    return stream;
  }
}

function warn(message: string): void {
  publish(channels.warning, { source: 'audit', message });
}
