// Writes schema/vmcp-status.schema.json (the GET /status contract) from the zod schema in
// src/health/status-schema.ts. Run `npx tsx scripts/gen-status-schema.ts` after changing it;
// test/unit/health/status-schema.test.ts fails while the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderStatusSchema } from '../src/health/status-schema.js';

const target = fileURLToPath(new URL('../schema/vmcp-status.schema.json', import.meta.url));
await writeFile(target, renderStatusSchema());
process.stdout.write(`wrote ${target}\n`);
