// `npm run bench:search:dump` — start every server of servers.ts over stdio, read its whole
// tools/list and write it to bench/search/tools/<server>.json (committed), so the benchmark
// itself needs neither the network nor these packages. The servers live in their own package
// (bench/search/servers/, ~800 MB installed) to keep them out of the gateway's `npm ci`:
//
//   npm ci --prefix bench/search/servers --ignore-scripts && npm run bench:search:dump [-- github slack]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { SERVERS, type ServerSpec } from './servers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.join(HERE, 'servers', 'node_modules');
const OUT = path.join(HERE, 'tools');
const TIMEOUT_MS = 60_000;

export interface ToolFixture {
  readonly server: string;
  readonly package: string;
  readonly version: string;
  readonly tools: readonly Tool[];
}

async function listAll(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: TIMEOUT_MS });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

async function dump(spec: ServerSpec, scratch: string): Promise<ToolFixture> {
  const dir = path.join(MODULES, spec.pkg);
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  // Only what a server needs to start: no credentials of this machine reach it.
  const env = { PATH: process.env.PATH ?? '', HOME: scratch, ...spec.env };
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(dir, spec.bin), ...(spec.args ?? [])],
    env,
    cwd: scratch,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'vmcp-bench-search-dump', version: '0.1.0' });
  try {
    await client.connect(transport, { timeout: TIMEOUT_MS });
    return { server: spec.server, package: spec.pkg, version, tools: await listAll(client) };
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  if (!fs.existsSync(MODULES)) throw new Error('install the servers first: npm ci --prefix bench/search/servers --ignore-scripts');
  fs.mkdirSync(OUT, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vmcp-dump-'));
  let failed = 0;
  try {
    for (const spec of SERVERS.filter((s) => only.size === 0 || only.has(s.server))) {
      try {
        const fixture = await dump(spec, scratch);
        fs.writeFileSync(path.join(OUT, `${spec.server}.json`), JSON.stringify(fixture, null, 2) + '\n');
        console.log(`${spec.server.padEnd(16)} ${String(fixture.tools.length).padStart(3)} tools  ${spec.pkg}@${fixture.version}`);
      } catch (err) {
        failed++;
        console.error(`${spec.server.padEnd(16)} FAILED: ${(err as Error).message}`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
