// schema/vmcp-status.schema.json is generated from src/health/status-schema.ts (house rule 6),
// and that zod schema must describe exactly the StatusReport interface (src/health/types.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { renderStatusSchema, STATUS_SCHEMA_ID, statusReportSchema } from '../../../src/health/status-schema.js';
import type { StatusReport } from '../../../src/health/types.js';

// Compile-time (tsc fails otherwise): the zod type and the interface are mutually assignable, and
// have the same keys at every depth (assignability alone lets an optional key exist on one side only).
type Zod = z.output<typeof statusReportSchema>;
type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepKeys<T> = T extends readonly (infer E)[] ? DeepKeys<E> : T extends object ? { [K in keyof T]-?: DeepKeys<T[K]> } : 'leaf';
const assignable: MutuallyAssignable<Zod, StatusReport> = true;
const sameKeys: Equals<DeepKeys<Zod>, DeepKeys<StatusReport>> = true;
void [assignable, sameKeys];

const committedPath = new URL('../../../schema/vmcp-status.schema.json', import.meta.url);

test('schema/vmcp-status.schema.json is up to date', async () => {
  const committed = await readFile(committedPath, 'utf8');
  assert.ok(
    renderStatusSchema() === committed,
    'schema/vmcp-status.schema.json is stale: run `npx tsx scripts/gen-status-schema.ts` and commit the result',
  );
});

test('the rendered schema is draft 2020-12, closed, with an id and descriptions', () => {
  const text = renderStatusSchema();
  assert.ok(text.endsWith('}\n'), 'trailing newline');
  assert.equal(renderStatusSchema(), text, 'deterministic');
  const schema = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(schema).slice(0, 5), ['$schema', '$id', 'title', 'description', 'type']);
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema['$id'], STATUS_SCHEMA_ID);
  assert.equal(schema['additionalProperties'], false);
  const properties = schema['properties'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(properties).sort(), [
    'backendCount',
    'backends',
    'conditions',
    'group_ref',
    'healthy',
    'message',
    'name',
    'phase',
    'summary',
    'timestamp',
    'version',
    'virtualTools',
  ]);
});

const example: StatusReport = {
  name: 'demo',
  version: '0.1.0',
  phase: 'Ready',
  message: '1 backend healthy, 1 requires authentication',
  healthy: true,
  backendCount: 2,
  summary: { total: 2, healthy: 1, degraded: 0, unhealthy: 0, unknown: 0, unauthenticated: 1 },
  conditions: [
    { type: 'Ready', status: 'True', reason: 'AllBackendsRoutable', message: '1 backend healthy, 1 requires authentication' },
    { type: 'BackendsDiscovered', status: 'True', reason: 'BackendsDiscovered', message: 'Discovered 2 backends' },
  ],
  backends: [
    {
      name: 'echo',
      health: 'healthy',
      status: 'ready',
      transport: 'stdio',
      authType: 'unauthenticated',
      auth_type: 'unauthenticated',
      mcpRevision: '2025-06-18',
      mcp_revision: '2025-06-18',
      lastCheck: '2026-01-02T03:04:05.678Z',
      consecutiveFailures: 0,
      circuit: 'closed',
      message: 'Healthy',
      latencyMs: 12.5,
      tools: 1,
      resources: 0,
      prompts: 0,
    },
    {
      name: 'github',
      health: 'unauthenticated',
      status: 'unauthenticated',
      transport: 'streamable-http',
      authType: 'token_exchange',
      auth_type: 'token_exchange',
      consecutiveFailures: 0,
      circuit: 'closed',
      message: 'Authentication required: no credentials configured for this backend',
      tools: 0,
      resources: 0,
      prompts: 0,
    },
  ],
  timestamp: '2026-01-02T03:04:06.000Z',
  group_ref: 'engineering',
};

test('a hand-written StatusReport parses unchanged', () => {
  assert.deepEqual(statusReportSchema.parse(example), example);
});

test('the schema rejects what the contract forbids', () => {
  const accepts = (patch: Record<string, unknown>) => statusReportSchema.safeParse({ ...example, ...patch }).success;
  assert.equal(accepts({ phase: 'Unknown' }), false, 'unknown phase');
  assert.equal(accepts({ backendCount: -1 }), false, 'negative count');
  assert.equal(accepts({ timestamp: 'yesterday' }), false, 'timestamp is ISO 8601');
  assert.equal(accepts({ extra: 1 }), false, 'closed object');
  assert.equal(accepts({ backends: [{ ...example.backends[0]!, health: 'down' }] }), false, 'unknown health state');
});
