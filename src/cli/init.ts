// `vmcp init [FILE] [--force]`: write a commented starter config (default vmcp.yaml; `-` writes
// to stdout). It never overwrites an existing file unless --force, and the file it writes is
// valid as written (a test checks), so `vmcp serve` works right after.
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerUsage, type CliIo } from './io.js';

export const INIT_USAGE = 'usage: vmcp init [--force] [FILE | -]   (default FILE: vmcp.yaml)\n';
export const DEFAULT_INIT_FILE = 'vmcp.yaml';

// The JSON Schema shipped in this package (src/cli → ../../schema, and likewise from dist/cli).
const SCHEMA_PATH = fileURLToPath(new URL('../../schema/vmcp-config.schema.json', import.meta.url));

export async function runInit(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'init', INIT_USAGE, parsed);
  const cwd = io.cwd ?? process.cwd();
  if (parsed.file === '-') {
    io.stdout.write(starterConfig(schemaReference(cwd)));
    return 0;
  }
  const target = resolve(cwd, parsed.file);
  try {
    // 'wx' fails if the file exists, without a check-then-write race.
    await writeFile(target, starterConfig(schemaReference(dirname(target))), { flag: parsed.force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' ? 'file exists (use --force to overwrite)' : (code ?? String(e));
    io.stderr.write(`vmcp init: refusing to write ${parsed.file}: ${reason}\n`);
    return 1;
  }
  io.stdout.write(`wrote ${parsed.file}\nnext: vmcp validate ${parsed.file} && vmcp serve --config ${parsed.file}\n`);
  return 0;
}

interface InitArgs {
  readonly file: string;
  readonly force: boolean;
}

function parseArgs(args: readonly string[]): InitArgs | 'help' | string {
  let force = false;
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '--force' || arg === '-f') force = true;
    else if (arg === '-h' || arg === '--help') return 'help';
    else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length > 1) return 'expected at most one FILE';
  return { file: files[0] ?? DEFAULT_INIT_FILE, force };
}

/** How the config at `fromDir` refers to the schema: a relative path, or a file URL across drives. */
function schemaReference(fromDir: string): string {
  const rel = relative(fromDir, SCHEMA_PATH);
  return isAbsolute(rel) ? pathToFileURL(SCHEMA_PATH).href : rel.split(sep).join('/');
}

export function starterConfig(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}\n${STARTER_BODY}`;
}

const STARTER_BODY = `#
# vmcp configuration, written by \`vmcp init\`. Every key is described in docs/configuration.md.
# Check it with \`vmcp validate FILE\`; run it with \`vmcp serve --config FILE\`, then point an
# MCP client at http://127.0.0.1:4483/mcp

# Reported to clients as serverInfo.name.
name: my-vmcp

server:
  # Loopback only: anything that can reach this port can use every backend.
  host: 127.0.0.1
  port: 4483

backends:
  # A local MCP server, started as a child process and spoken to over stdin/stdout.
  - name: everything
    transport: stdio
    command: npx
    args: [-y, "@modelcontextprotocol/server-everything", stdio]
    timeouts:
      # The first npx run downloads the package; give it time.
      connect: 2m

  # A remote MCP server over Streamable HTTP. Uncomment to use; \${VAR} reads the environment
  # (and \${VAR:-default} falls back), so tokens stay out of this file.
  # - name: remote
  #   transport: streamable-http
  #   url: https://mcp.example.com/mcp
  #   headers:
  #     Authorization: "Bearer \${REMOTE_TOKEN}"

aggregation:
  # How same-named tools of different backends are told apart:
  #   prefix   (default) every tool becomes <backend>_<tool>, e.g. everything_echo
  #   priority bare names; on a clash the backend first in conflictResolutionConfig.priorityOrder wins
  #   manual   bare names; you rename every clash in tools[].overrides
  conflictResolution: prefix

operational:
  # trace | debug | info | warn | error | silent
  logLevel: info
`;
