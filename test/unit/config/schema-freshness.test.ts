// The committed JSON Schema must be what the zod schema generates (house rule 6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { renderSchema, SCHEMA_ID } from '../../../src/config/json-schema.js';

const committedPath = new URL('../../../schema/vmcp-config.schema.json', import.meta.url);

test('schema/vmcp-config.schema.json is up to date', async () => {
  const committed = await readFile(committedPath, 'utf8');
  assert.ok(renderSchema() === committed, 'schema/vmcp-config.schema.json is stale: run `npm run schema` and commit the result');
});

test('the rendered schema is draft 2020-12 with an id, a title and descriptions', () => {
  const text = renderSchema();
  assert.ok(text.endsWith('}\n'), 'trailing newline');
  assert.equal(renderSchema(), text, 'deterministic');
  const schema = JSON.parse(text) as Record<string, unknown>;
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, SCHEMA_ID);
  assert.equal(typeof schema.title, 'string');
  assert.deepEqual(Object.keys(schema).slice(0, 5), ['$schema', '$id', 'title', 'description', 'type']);
  const properties = schema.properties as Record<string, { description?: string }>;
  for (const [key, value] of Object.entries(properties)) assert.ok(value.description, `top-level "${key}" has a description`);
  assert.equal(schema.additionalProperties, false, 'unknown keys are errors in editors too');
});
