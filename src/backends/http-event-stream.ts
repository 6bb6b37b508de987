// Server-sent event bodies of a Streamable HTTP backend: a POST's response stream (the answer and
// any mid-call requests and notifications before it) and the optional standalone GET stream,
// reopened with backoff when it ends, as the SDK's client transport does.
import type { Readable } from 'node:stream';
import { SseParser } from './sse-parser.js';

export type RequestId = string | number;

/** What an event stream needs of its transport. */
export interface StreamHost {
  /** Bound on one event, in bytes. */
  readonly limit: number;
  /** Hand a parsed message on; true when it was a response. `origin`: the POST it came under. */
  deliver(message: unknown, origin: RequestId | undefined): boolean;
  /** An event passed `limit`: fail request `id` (or report it, for the standalone stream). */
  tooLarge(id: RequestId | undefined): void;
  error(err: Error): void;
}

export type StreamOutcome = 'answered' | 'ended' | 'failed';

/** Read one event-stream body to its end; `origin` is the POSTed request's id (none for the GET). */
export function readEvents(
  host: StreamHost,
  body: Readable,
  origin: RequestId | undefined,
  onRetry?: (ms: number) => void,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let answered = false;
    const parser = new SseParser(host.limit, {
      onEvent: (e) => {
        if (e.event !== '' && e.event !== 'message') return;
        let message: unknown;
        try {
          message = JSON.parse(e.data);
        } catch (err) {
          return host.error(err as Error);
        }
        if (host.deliver(message, origin)) answered = true;
      },
      onOversize: () => {
        host.tooLarge(origin);
        if (origin === undefined) return; // the GET stream skips the event and goes on
        answered = true;
        body.destroy();
      },
      ...(onRetry ? { onRetry } : {}),
    });
    body.on('data', (chunk: Buffer) => parser.push(chunk));
    body.once('end', () => resolve(answered ? 'answered' : 'ended'));
    body.on('error', () => resolve(answered ? 'answered' : 'failed'));
    body.once('close', () => resolve(answered ? 'answered' : 'failed'));
  });
}

/** Reconnection of the GET stream, as the SDK's defaults: 1 s, ×1.5, at most 30 s, 2 retries. */
const INITIAL_DELAY_MS = 1000;
const GROWTH = 1.5;
const MAX_DELAY_MS = 30_000;
const MAX_RETRIES = 2;

/** Opens the GET; undefined when the server offers no stream (405). */
export type StreamOpener = (signal: AbortSignal) => Promise<Readable | undefined>;

export class StandaloneStream {
  readonly #host: StreamHost;
  readonly #open: StreamOpener;
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #serverRetryMs: number | undefined;
  #stopped = false;

  constructor(host: StreamHost, open: StreamOpener) {
    this.#host = host;
    this.#open = open;
    void this.#run(0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  async #run(attempt: number): Promise<void> {
    if (this.#stopped) return;
    const controller = new AbortController();
    this.#controller = controller;
    let body: Readable | undefined;
    try {
      body = await this.#open(controller.signal);
    } catch (err) {
      if (this.#stopped) return;
      this.#host.error(err as Error);
      return this.#retry(attempt + 1);
    }
    if (!body) return;
    await readEvents(this.#host, body, undefined, (ms) => (this.#serverRetryMs = ms));
    this.#retry(0);
  }

  #retry(attempt: number): void {
    if (this.#stopped) return;
    if (attempt >= MAX_RETRIES) return this.#host.error(new Error(`event stream: gave up after ${MAX_RETRIES} reconnection attempts`));
    const delay = this.#serverRetryMs ?? Math.min(INITIAL_DELAY_MS * GROWTH ** attempt, MAX_DELAY_MS);
    this.#timer = setTimeout(() => void this.#run(attempt), delay);
    this.#timer.unref();
  }
}
