import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Secret } from '../../../src/config/secret.js';
import type { EmbeddingServiceConfig } from '../../../src/config/types.js';
import { CachedEmbedder } from '../../../src/search/embeddings/cache.js';
import { createEmbeddingClient, TEI_BATCH } from '../../../src/search/embeddings/client.js';
import { EmbeddingError } from '../../../src/search/embeddings/http.js';
import { DIMENSIONS, EmbeddingServer, embedText } from './embedding-server.js';

let server: EmbeddingServer;
before(async () => {
  server = await new EmbeddingServer().start();
});
after(() => server.close());

const tei = (over: Partial<EmbeddingServiceConfig> = {}): EmbeddingServiceConfig => ({
  provider: 'tei',
  url: server.url,
  headers: {},
  timeoutMs: 2000,
  ...over,
});
const openai = (over: Partial<EmbeddingServiceConfig> = {}): EmbeddingServiceConfig => ({
  provider: 'openai',
  url: `${server.url}/v1`,
  model: 'text-embedding-3-small',
  headers: { 'X-Team': new Secret('team-header-value') },
  timeoutMs: 2000,
  ...over,
});

function reset(): void {
  server.mode = 'ok';
  server.received.length = 0;
}

test('TEI: POST /embed {inputs, truncate}, in batches of the TEI default size', async () => {
  reset();
  const texts = Array.from({ length: TEI_BATCH * 2 + 3 }, (_, i) => `text number ${i}`);
  const vectors = await createEmbeddingClient(tei()).embed(texts);
  assert.equal(vectors.length, texts.length);
  assert.deepEqual([...vectors[5]!], embedText('text number 5'));
  assert.deepEqual(
    server.received.map((r) => [r.path, r.body.inputs?.length, r.body.truncate]),
    [
      ['/embed', 32, true],
      ['/embed', 32, true],
      ['/embed', 3, true],
    ],
  );
  assert.equal(server.received[0]?.headers['content-type'], 'application/json');
});

test('OpenAI: POST <url>/embeddings {model, input, encoding_format}, key from OPENAI_API_KEY, custom headers', async () => {
  reset();
  const client = createEmbeddingClient(openai(), { OPENAI_API_KEY: 'sk-test-key-123' });
  const vectors = await client.embed(['alpha beta', 'gamma']);
  assert.deepEqual([...vectors[1]!], embedText('gamma'));
  const [request] = server.received;
  assert.equal(request?.path, '/v1/embeddings');
  assert.deepEqual(request?.body, { model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'], encoding_format: 'float' });
  assert.equal(request?.headers.authorization, 'Bearer sk-test-key-123');
  assert.equal(request?.headers['x-team'], 'team-header-value');
});

test('OpenAI: no key, no Authorization header; entries out of order are placed by index', async () => {
  reset();
  server.mode = 'shuffle';
  const vectors = await createEmbeddingClient(openai(), {}).embed(['one', 'two', 'three']);
  assert.deepEqual(
    vectors.map((v) => [...v]),
    ['one', 'two', 'three'].map(embedText),
  );
  assert.equal(server.received[0]?.headers.authorization, undefined);
});

test('service errors, bad answers, timeouts and outages become EmbeddingErrors naming the cause', async () => {
  reset();
  server.mode = 'error';
  await assert.rejects(createEmbeddingClient(tei()).embed(['x']), (e: Error) => e instanceof EmbeddingError && /HTTP 503/.test(e.message));
  server.mode = 'garbage';
  await assert.rejects(createEmbeddingClient(tei()).embed(['x']), /expected 1 embeddings/);
  await assert.rejects(createEmbeddingClient(openai(), {}).embed(['x']), /expected 1 embeddings, got no data array/);
  server.mode = 'hang';
  await assert.rejects(createEmbeddingClient(tei({ timeoutMs: 150 })).embed(['x']), /no answer within 150 ms/);
  const gone = await new EmbeddingServer().start();
  await gone.close();
  await assert.rejects(createEmbeddingClient(tei({ url: gone.url })).embed(['x']), /ECONNREFUSED/);
});

test('errors never carry the API key or header values', async () => {
  reset();
  server.mode = 'error';
  const err = await createEmbeddingClient(openai(), { OPENAI_API_KEY: 'sk-secret-value' })
    .embed(['x'])
    .catch((e: Error) => e);
  assert.ok(err instanceof Error);
  assert.doesNotMatch(`${err.message} ${String(err.stack)}`, /sk-secret-value|team-header-value/);
});

test('cache: a text is embedded once per model, concurrent callers share one request', async () => {
  reset();
  const embedder = new CachedEmbedder(createEmbeddingClient(tei()));
  const [a, b] = await Promise.all([embedder.embed(['same text', 'other']), embedder.embed(['same text'])]);
  assert.equal(server.received.length, 1);
  assert.deepEqual(server.received[0]?.body.inputs, ['same text', 'other']);
  assert.equal(a[0], b[0]);
  await embedder.embed(['other', 'same text']);
  assert.equal(server.received.length, 1, 'served from the cache');
  const norm = Math.hypot(...a[0]!);
  assert.ok(Math.abs(norm - 1) < 1e-6, 'vectors are unit length');
  const otherModel = new CachedEmbedder(createEmbeddingClient(openai({ model: 'another-model' }), {}));
  await otherModel.embed(['same text']);
  assert.equal(server.received.length, 2, 'another model is another cache key');
});

test('cache: bounded by bytes, least recently used first out', async () => {
  reset();
  const embedder = new CachedEmbedder(createEmbeddingClient(tei()), DIMENSIONS * 4 * 2);
  await embedder.embed(['one']);
  await embedder.embed(['two']);
  await embedder.embed(['one']); // refresh
  await embedder.embed(['three']); // evicts two
  assert.equal(embedder.size, 2);
  const before = server.received.length;
  await embedder.embed(['one', 'three']);
  assert.equal(server.received.length, before);
  await embedder.embed(['two']);
  assert.equal(server.received.length, before + 1);
});

test('cache: a failed request is not cached and is retried next time', async () => {
  reset();
  const embedder = new CachedEmbedder(createEmbeddingClient(tei()));
  server.mode = 'error';
  await assert.rejects(embedder.embed(['flaky']));
  server.mode = 'ok';
  assert.equal((await embedder.embed(['flaky'])).length, 1);
  assert.equal(server.received.length, 2);
});
