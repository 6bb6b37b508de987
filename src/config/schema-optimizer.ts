// `optimizer:` — tool search instead of the whole catalog (ToolHive's vMCP optimizer keys,
// pkg/vmcp/config/config.go OptimizerConfig, plus vmcp's alwaysAdvertise and findToolDescription).
// Present = on: clients see find_tool and call_tool (and any alwaysAdvertise tools) instead of
// every backend tool. With embeddingService the ranking is hybrid (keyword + embeddings).
import { z } from 'zod';
import { MAX_TIMER_MS, tryParseDuration } from './duration.js';
import { duration, headerName, httpUrl } from './schema-common.js';

/** ToolHive's header-count limit (kubebuilder MaxProperties=32 on embeddingHeaders). */
export const MAX_EMBEDDING_HEADERS = 32;
/** The OpenAI client sets these itself: Content-Type is always JSON, Authorization comes from OPENAI_API_KEY. */
const RESERVED_EMBEDDING_HEADERS = new Set(['authorization', 'content-type']);

// ToolHive serializes these as strings ("0.5") because CRDs have no portable floats; both forms are accepted.
const decimal = (min: number, max: number, what: string) =>
  z
    .union([z.number(), z.string().regex(/^([0-9]*[.])?[0-9]+$/, 'must be a decimal number such as "0.5"')])
    .refine((v) => Number(v) >= min && Number(v) <= max, `must be between ${min} and ${max} (${what})`);

export const optimizerSchema = z
  .strictObject({
    maxToolsToReturn: z.number().int().min(1).max(50).optional().describe('Most tools one find_tool call returns (default 8, 1-50).'),
    embeddingService: httpUrl
      .optional()
      .describe('Base URL of an embedding service for hybrid search (TEI: POST <url>/embed; OpenAI-compatible: POST <url>/embeddings).'),
    embeddingProvider: z.enum(['tei', 'openai']).optional().describe('Wire protocol of embeddingService (default tei).'),
    embeddingModel: z.string().min(1).optional().describe('Model requested from an OpenAI-compatible service (required for openai).'),
    embeddingHeaders: z
      .record(headerName, z.string().min(1).max(8192))
      .optional()
      .describe(
        'Extra headers for an OpenAI-compatible service (openai only; at most 32; not Authorization or Content-Type; values may use ${VAR}; never logged).',
      ),
    embeddingServiceTimeout: duration
      .refine(
        (v) => (tryParseDuration(v) ?? 0) > 0 && (tryParseDuration(v) ?? 0) <= MAX_TIMER_MS,
        'must be greater than 0 and at most 596h',
      )
      .optional()
      .describe('Timeout of one embedding request (default 30s).'),
    hybridSearchSemanticRatio: decimal(0, 1, '0 = all keyword, 1 = all semantic')
      .optional()
      .describe('Share of the result slots given to semantic matches in hybrid search (default 0.5).'),
    semanticDistanceThreshold: decimal(0, 2, 'cosine distance: 0 = identical, 2 = opposite')
      .optional()
      .describe('Semantic matches farther than this cosine distance are dropped (default 1.0).'),
    alwaysAdvertise: z
      .array(z.string().min(1))
      .optional()
      .describe('Advertised tool names listed next to find_tool and call_tool (names as clients see them).'),
    findToolDescription: z.string().min(1).optional().describe("The find_tool meta-tool's description (default: ToolHive's text)."),
  })
  .superRefine((o, ctx) => {
    const provider = o.embeddingProvider ?? 'tei';
    if (provider === 'openai' && o.embeddingService === undefined) {
      ctx.addIssue({ code: 'custom', path: ['embeddingService'], message: 'is required when embeddingProvider is "openai"' });
    }
    if (provider === 'openai' && o.embeddingModel === undefined) {
      ctx.addIssue({ code: 'custom', path: ['embeddingModel'], message: 'is required when embeddingProvider is "openai"' });
    }
    headerIssues(o.embeddingHeaders, provider, ctx);
  })
  .describe('Tool search: advertise find_tool and call_tool instead of every tool (ToolHive optimizer keys).');

function headerIssues(headers: Record<string, string> | undefined, provider: string, ctx: z.RefinementCtx): void {
  if (headers === undefined) return;
  if (provider !== 'openai') {
    ctx.addIssue({ code: 'custom', path: ['embeddingHeaders'], message: 'is only supported when embeddingProvider is "openai"' });
  }
  if (Object.keys(headers).length > MAX_EMBEDDING_HEADERS) {
    ctx.addIssue({ code: 'custom', path: ['embeddingHeaders'], message: `at most ${MAX_EMBEDDING_HEADERS} headers are allowed` });
  }
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED_EMBEDDING_HEADERS.has(name.toLowerCase())) {
      const why = name.toLowerCase() === 'authorization' ? 'it comes from the OPENAI_API_KEY environment variable' : 'it is always JSON';
      ctx.addIssue({ code: 'custom', path: ['embeddingHeaders', name], message: `header "${name}" cannot be set: ${why}` });
    }
    // Checked after ${VAR} expansion: a line break would let a value inject extra headers.
    if (/[\r\n\0]/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['embeddingHeaders', name],
        message: `header "${name}" value must not contain line breaks or NUL (value not shown)`,
      });
    }
  }
}

export type UserOptimizer = z.infer<typeof optimizerSchema>;
