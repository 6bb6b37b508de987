// Writes schema/vmcp-config.schema.json from the zod config schema. Run with `npm run schema`
// after changing src/config/schema.ts; test/unit/config/schema-freshness.test.ts checks it.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchema } from '../src/config/json-schema.js';

const target = fileURLToPath(new URL('../schema/vmcp-config.schema.json', import.meta.url));
await writeFile(target, renderSchema());
process.stdout.write(`wrote ${target}\n`);
