// A small embedding service on loopback speaking both wire formats: TEI (POST /embed) and
// OpenAI-compatible (POST /v1/embeddings). Vectors are hashed bags of words, so texts sharing
// words are near each other. `mode` switches it to failing behaviours mid-test.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DIMENSIONS = 64;
export type Mode = 'ok' | 'error' | 'hang' | 'garbage' | 'shuffle';

export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: { inputs?: string[]; input?: string[]; model?: string; truncate?: boolean; encoding_format?: string };
}

export function embedText(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % DIMENSIONS]! += 1;
  }
  return v;
}

export class EmbeddingServer {
  mode: Mode = 'ok';
  readonly received: Received[] = [];
  readonly #server: Server;
  #url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Received['body'];
        this.received.push({ path: req.url ?? '', headers: req.headers, body });
        if (this.mode === 'hang') return; // never answers
        if (this.mode === 'error') return void res.writeHead(503).end('model loading');
        if (this.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"nope": true}');
        const inputs = req.url === '/embed' ? (body.inputs ?? []) : (body.input ?? []);
        const vectors = inputs.map(embedText);
        let payload: unknown = vectors;
        if (req.url === '/v1/embeddings') {
          const data = vectors.map((embedding, index) => ({ object: 'embedding', index, embedding }));
          payload = { object: 'list', data: this.mode === 'shuffle' ? data.reverse() : data, model: body.model };
        } else if (req.url !== '/embed') {
          return void res.writeHead(404).end();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      });
    });
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
