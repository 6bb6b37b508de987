// The benchmark catalog: every fixture's tools, named as the gateway advertises them with its
// default prefix strategy (`<backend>_<tool>`), plus a synthetic catalog of any size made by
// replicating the real definitions under varied names.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolDefinition } from '../../src/search/tool-definition.js';

const TOOLS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tools');

export interface ServerTools {
  readonly server: string;
  readonly package: string;
  readonly version: string;
  readonly tools: readonly ToolDefinition[];
}

export function loadServers(dir = TOOLS_DIR): ServerTools[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ServerTools);
}

export function advertised(servers: readonly ServerTools[]): ToolDefinition[] {
  return servers.flatMap((s) => s.tools.map((t) => ({ ...t, name: `${s.server}_${t.name}` })));
}

// Replicas look like the same servers deployed again for other teams or regions.
const REPLICA_PREFIXES = ['team', 'eu', 'us', 'staging', 'prod', 'dev', 'acme', 'lab', 'ops', 'data'];

/** `count` tools: the real ones first, then copies under names like `eu3_github_create_issue`. */
export function synthesize(real: readonly ToolDefinition[], count: number): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (let round = 0; out.length < count; round++) {
    const prefix = round === 0 ? '' : `${REPLICA_PREFIXES[round % REPLICA_PREFIXES.length]}${Math.ceil(round / REPLICA_PREFIXES.length)}_`;
    for (const tool of real) {
      if (out.length === count) break;
      out.push({ ...tool, name: prefix + tool.name });
    }
  }
  return out;
}
