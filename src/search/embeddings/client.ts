// Embedding service clients: TEI (https://huggingface.github.io/text-embeddings-inference/,
// POST /embed {inputs, truncate} → number[][]) and OpenAI-compatible (POST /embeddings
// {model, input, encoding_format: "float"} → {data: [{index, embedding}]}), as ToolHive speaks
// them (pkg/vmcp/optimizer/internal/similarity). Inputs are sent in batches of the service's limit.
import type { EmbeddingServiceConfig, Env } from '../../config/index.js';
import { Secret } from '../../config/secret.js';
import { EmbeddingError, postJson, toVector } from './http.js';

export interface EmbeddingClient {
  /** Provider, URL and model: part of every cache key, so vectors of two models never mix. */
  readonly identity: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** TEI's default --max-client-batch-size. */
export const TEI_BATCH = 32;
/** OpenAI's limit of inputs per /embeddings request. */
export const OPENAI_BATCH = 2048;

/** The OpenAI API key comes from the environment, as in ToolHive, so it never sits in a config file. */
export const OPENAI_API_KEY_ENV = 'OPENAI_API_KEY';

export function createEmbeddingClient(config: EmbeddingServiceConfig, env: Env = process.env): EmbeddingClient {
  if (config.provider === 'tei') {
    return batched(`tei ${config.url}`, TEI_BATCH, (inputs, signal) => teiEmbed(config, inputs, signal));
  }
  const key = env[OPENAI_API_KEY_ENV];
  const apiKey = key === undefined || key === '' ? undefined : new Secret(key);
  return batched(`openai ${config.url} ${config.model ?? ''}`, OPENAI_BATCH, (inputs, signal) =>
    openaiEmbed(config, apiKey, inputs, signal),
  );
}

type Embed = (inputs: readonly string[], signal?: AbortSignal) => Promise<Float32Array[]>;

function batched(identity: string, size: number, embedBatch: Embed): EmbeddingClient {
  return {
    identity,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += size) out.push(...(await embedBatch(texts.slice(i, i + size), signal)));
      return out;
    },
  };
}

async function teiEmbed(config: EmbeddingServiceConfig, inputs: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
  const url = `${config.url}/embed`;
  // truncate: a long tool description is embedded cut rather than failing the whole batch.
  const body = await postJson(url, { inputs, truncate: true }, { headers: {}, timeoutMs: config.timeoutMs, ...(signal ? { signal } : {}) });
  if (!Array.isArray(body) || body.length !== inputs.length) {
    throw new EmbeddingError(`${url}: expected ${inputs.length} embeddings, got ${Array.isArray(body) ? body.length : typeof body}`);
  }
  return body.map((v) => toVector(v, url));
}

async function openaiEmbed(
  config: EmbeddingServiceConfig,
  apiKey: Secret | undefined,
  inputs: readonly string[],
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const url = `${config.url}/embeddings`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) headers[name] = value.reveal();
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey.reveal()}`;
  const request = { model: config.model, input: inputs, encoding_format: 'float' };
  const body = (await postJson(url, request, { headers, timeoutMs: config.timeoutMs, ...(signal ? { signal } : {}) })) as {
    data?: unknown;
  };
  const data = Array.isArray(body?.data) ? (body.data as { index?: unknown; embedding?: unknown }[]) : undefined;
  if (data === undefined || data.length !== inputs.length) {
    throw new EmbeddingError(`${url}: expected ${inputs.length} embeddings, got ${data?.length ?? 'no data array'}`);
  }
  // The API may return entries out of order; each carries its input's index.
  const out: Float32Array[] = new Array<Float32Array>(inputs.length);
  data.forEach((entry, i) => {
    const at = typeof entry.index === 'number' ? entry.index : i;
    if (!Number.isInteger(at) || at < 0 || at >= inputs.length || out[at] !== undefined) {
      throw new EmbeddingError(`${url}: embedding index ${String(entry.index)} is out of range or repeated`);
    }
    out[at] = toVector(entry.embedding, url);
  });
  return out;
}
