// `vmcp import-toolhive FILE [-o OUT] [--name VMCP] [--force]`: turn a ToolHive Kubernetes
// manifest (a VirtualMCPServer with its MCPServers, MCPRemoteProxies, MCPServerEntries,
// MCPToolConfigs, MCPExternalAuthConfigs, MCPOIDCConfigs, composite tool definitions) into a vmcp
// config, printed (or written to OUT) with comments on everything dropped or approximated. The
// output is checked with the same rules as `vmcp validate` (secrets it reads from the environment
// count as set): exit 0 when it is valid, 1 when it still has errors (they are listed), 2 on bad
// usage or an unreadable manifest.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compositeToolIssues } from '../composite/validate.js';
import { loadConfigText } from '../config/load.js';
import type { ConfigIssue } from '../config/issues.js';
import type { RuntimeConfig } from '../config/types.js';
import { readManifest } from './toolhive/manifest.js';
import { convert, pickVirtualServer, type Imported } from './toolhive/convert.js';
import { answerUsage, type CliIo } from './io.js';

export const IMPORT_USAGE = 'usage: vmcp import-toolhive [-o OUT] [--force] [--name VIRTUALMCPSERVER] FILE\n';

interface Args {
  file: string;
  out?: string;
  name?: string;
  force: boolean;
}

export async function runImportToolhive(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'import-toolhive', IMPORT_USAGE, parsed);
  const cwd = io.cwd ?? process.cwd();
  let text: string;
  try {
    text = await readFile(resolve(cwd, parsed.file), 'utf8');
  } catch (e) {
    return usage(io, `cannot read ${parsed.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const manifest = readManifest(text);
  if ('error' in manifest) return usage(io, `${parsed.file}: ${manifest.error}`);
  const vmcp = pickVirtualServer(manifest, parsed.name);
  if (typeof vmcp === 'string') return usage(io, `${parsed.file}: ${vmcp}`);
  const imported = convert(manifest, vmcp, parsed.file);
  if (parsed.out === undefined) io.stdout.write(imported.text);
  else {
    try {
      await writeFile(resolve(cwd, parsed.out), imported.text, { flag: parsed.force ? 'w' : 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.stderr.write(
        `vmcp import-toolhive: refusing to write ${parsed.out}: ${code === 'EEXIST' ? 'file exists (use --force)' : (code ?? String(e))}\n`,
      );
      return 2;
    }
  }
  return report(imported, parsed, io, cwd);
}

/** What needs the user, then the output's own validation: its errors make the exit code 1. */
async function report(imported: Imported, args: Args, io: CliIo, cwd: string): Promise<number> {
  const where = args.out ?? 'the output';
  for (const n of imported.notes.list.filter((x) => x.attention)) io.stderr.write(`action: ${n.at ? `${n.at}: ` : ''}${n.message}\n`);
  const inCluster = imported.backends.filter((b) => b.inCluster).map((b) => b.name);
  if (inCluster.length > 0)
    io.stderr.write(`note: in-cluster Service URLs (edit url to serve outside the cluster): ${inCluster.join(', ')}\n`);
  const env = { ...io.env };
  for (const [name, from] of imported.notes.env) {
    if (env[name] === undefined) io.stderr.write(`note: set ${name} (in Kubernetes: ${from})\n`);
    env[name] ??= 'set-at-runtime';
  }
  const source = resolve(cwd, args.out ?? 'imported-toolhive.yaml');
  const loaded = loadConfigText(imported.text, { source, env, rules: [compositeToolIssues] });
  const errors = [...loaded.issues.filter((i) => i.severity === 'error'), ...(await policyErrors(loaded.config))];
  for (const issue of errors) io.stderr.write(`error: ${formatIssue(where, issue)}\n`);
  io.stderr.write(
    errors.length === 0
      ? `imported VirtualMCPServer "${imported.vmcp.name}": ${where} passes vmcp validate\n`
      : `imported VirtualMCPServer "${imported.vmcp.name}": ${where} has ${errors.length} error(s) vmcp validate will report\n`,
  );
  return errors.length === 0 ? 0 : 1;
}

/** Cedar policies as `vmcp validate` checks them (the engine loads only when there are policies). */
async function policyErrors(config: RuntimeConfig | undefined): Promise<ConfigIssue[]> {
  if (!config?.authz) return [];
  const { validatePolicies } = await import('../auth/authz/cedar.js');
  return validatePolicies(config.authz.policies).map((p) => ({
    path: 'incomingAuth.authz',
    message: p.message,
    severity: 'error' as const,
  }));
}

function formatIssue(file: string, i: ConfigIssue): string {
  return `${i.line === undefined ? file : `${file}:${i.line}:${i.column ?? 1}`}  ${i.path === '' ? '(root)' : i.path}  ${i.message}`;
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`vmcp import-toolhive: ${message}\n${IMPORT_USAGE}`);
  return 2;
}

function parseArgs(args: readonly string[]): Args | 'help' | string {
  const out: Partial<Args> = { force: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--force') out.force = true;
    else if (a === '-o' || a === '--output' || a === '--name') {
      const v = args[++i];
      if (v === undefined) return `${a} needs a value`;
      if (a === '--name') out.name = v;
      else out.out = v;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (out.file !== undefined) return `one FILE only (got ${out.file} and ${a})`;
    else out.file = a;
  }
  return out.file === undefined ? 'FILE is required' : (out as Args);
}
