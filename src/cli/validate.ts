// `vmcp validate [--json] FILE`: check a config file and print every problem at once as
//   FILE:LINE:COL  path  message
// Exit codes: 0 valid (warnings allowed), 2 invalid, 2 with usage when FILE is missing or
// unreadable. Messages never contain header or env values (see config/load.ts).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderWorkflows, workflowPlans } from '../composite/render-dag.js';
import type { WorkflowPlan } from '../composite/render-dag.js';
import { compositeToolIssues } from '../composite/validate.js';
import { loadConfigText } from '../config/load.js';
import type { ConfigIssue } from '../config/issues.js';
import type { RuntimeConfig } from '../config/types.js';
import { answerUsage, type CliIo } from './io.js';

export const VALIDATE_USAGE = 'usage: vmcp validate [--json] FILE\n';

export async function runValidate(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'validate', VALIDATE_USAGE, parsed);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd ?? process.cwd(), parsed.file), 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    io.stderr.write(`vmcp validate: cannot read ${parsed.file}: ${reason}\n${VALIDATE_USAGE}`);
    return 2;
  }
  const source = resolve(io.cwd ?? process.cwd(), parsed.file);
  const loaded = loadConfigText(text, { source, env: io.env, rules: [compositeToolIssues] });
  const issues = [...loaded.issues, ...(await policyIssues(loaded.config))];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const workflows = errors === 0 ? (loaded.config?.compositeTools ?? []) : [];
  if (parsed.json) io.stdout.write(renderJson(parsed.file, issues, errors, workflowPlans(workflows)));
  else io.stdout.write(renderText(parsed.file, issues, errors) + renderWorkflows(workflows));
  return errors > 0 ? 2 : 0;
}

/**
 * Cedar policies are checked here (the config loader only reads the files): syntax and model
 * errors with the policy file's own line. The Cedar engine is loaded only when policies exist.
 */
async function policyIssues(config: RuntimeConfig | undefined): Promise<ConfigIssue[]> {
  if (!config?.authz) return [];
  const { validatePolicies } = await import('../auth/authz/cedar.js');
  return validatePolicies(config.authz.policies).map((p) => ({
    path: `incomingAuth.authz (${p.source}${p.line === undefined ? '' : `:${p.line}:${p.column ?? 1}`})`,
    message: p.message,
    severity: 'error' as const,
  }));
}

interface ValidateArgs {
  readonly file: string;
  readonly json: boolean;
}

/** The parsed arguments, 'help', or an error message. */
function parseArgs(args: readonly string[]): ValidateArgs | 'help' | string {
  let json = false;
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') return 'help';
    else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length === 0) return 'missing FILE';
  if (files.length > 1) return 'expected exactly one FILE';
  return { file: files[0] ?? '', json };
}

export function renderText(file: string, issues: readonly ConfigIssue[], errors: number): string {
  const lines = issues.map((i) => {
    const where = i.line === undefined ? file : `${file}:${i.line}:${i.column ?? 1}`;
    const message = i.severity === 'warning' ? `warning: ${i.message}` : i.message;
    return `${where}  ${i.path === '' ? '(root)' : i.path}  ${message}`;
  });
  lines.push(summary(file, errors, issues.length - errors));
  return `${lines.join('\n')}\n`;
}

function summary(file: string, errors: number, warnings: number): string {
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors === 0) return warnings === 0 ? `${file}: valid` : `${file}: valid (${count(warnings, 'warning')})`;
  return `${file}: invalid (${count(errors, 'error')}, ${count(warnings, 'warning')})`;
}

function renderJson(file: string, issues: readonly ConfigIssue[], errors: number, workflows: readonly WorkflowPlan[]): string {
  const report = {
    file,
    valid: errors === 0,
    errors,
    warnings: issues.length - errors,
    issues,
    ...(workflows.length > 0 ? { workflows } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
