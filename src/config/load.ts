// Config loading, end to end: YAML text → (syntax) → ${VAR} expansion → schema → cross-field
// rules → normalized, frozen RuntimeConfig. Every stage reports into one list, each issue with its
// path and line, and no stage stops the others (house rule 4: report all problems at once).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { expandConfigEnv } from './expand-env.js';
import type { Env } from './expand-env.js';
import { compareIssues, formatPath, hasErrors } from './issues.js';
import type { ConfigIssue, RawIssue } from './issues.js';
import { normalizeConfig } from './normalize.js';
import { resolveAuthSources } from './resolve-auth.js';
import { configSchema } from './schema.js';
import type { RuntimeConfig } from './types.js';
import { crossFieldIssues } from './validate-rules.js';
import { locate, parseYaml } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';
import { fromZodIssues } from './zod-issues.js';

export interface LoadResult {
  /** Present only when there is no error (warnings allowed). */
  readonly config?: RuntimeConfig;
  /** Sorted by position; errors and warnings. */
  readonly issues: readonly ConfigIssue[];
}

export interface LoadTextOptions {
  /** Path the text came from: becomes RuntimeConfig.source and the default baseDir. */
  readonly source?: string;
  readonly env?: Env;
  /** Where relative stdio `cwd`s resolve; default dirname(source), else process.cwd(). */
  readonly baseDir?: string;
  /**
   * Cross-field rules of layers above config (the composite tools' template checks), run on the
   * raw data with the built-in ones. Injected, so config stays a leaf.
   */
  readonly rules?: readonly ConfigRule[];
}

export type ConfigRule = (data: unknown) => readonly RawIssue[];

export async function loadConfigFile(path: string, env: Env = process.env, rules: readonly ConfigRule[] = []): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    return { issues: [{ path: '', message: `cannot read config file ${path}: ${reason}`, severity: 'error' }] };
  }
  return loadConfigText(text, { source: path, env, rules });
}

export function loadConfigText(text: string, options: LoadTextOptions = {}): LoadResult {
  const source = options.source === undefined ? undefined : resolve(options.source);
  const parsed = parseYaml(text);
  const raw: RawIssue[] = [...parsed.issues];
  let secrets: readonly string[] = [];
  let config: RuntimeConfig | undefined;
  if (parsed.data !== undefined) {
    const env = options.env ?? process.env;
    const expansion = expandConfigEnv(parsed.data, env);
    const baseDir = options.baseDir ?? (source === undefined ? process.cwd() : dirname(source));
    // Secrets named by the auth sections (env vars, files) and Cedar policy files.
    const auth = resolveAuthSources(parsed.data, { env, baseDir, ...(source === undefined ? {} : { source }) });
    secrets = [...expansion.secrets, ...auth.secrets];
    raw.push(...expansion.issues, ...auth.issues);
    const result = configSchema.safeParse(parsed.data);
    if (!result.success) raw.push(...fromZodIssues(result.error.issues, parsed.data, configSchema));
    raw.push(...crossFieldIssues(parsed.data), ...(options.rules ?? []).flatMap((rule) => rule(parsed.data)));
    const ok = result.success && !raw.some((i) => i.severity === 'error');
    if (ok) config = normalizeConfig(result.data, { baseDir, auth: auth.resolved, ...(source === undefined ? {} : { source }) });
  }
  const issues = dedupe(raw.map((i) => place(i, parsed.source, secrets))).sort(compareIssues);
  return hasErrors(issues) || config === undefined ? { issues } : { config, issues };
}

function place(issue: RawIssue, source: YamlSource, secrets: readonly string[]): ConfigIssue {
  const position = issue.position ?? locate(source, issue.path, issue.atKey);
  return {
    path: formatPath(issue.path),
    line: position.line,
    column: position.column,
    message: redact(issue.message, secrets),
    severity: issue.severity,
  };
}

// Belt and braces: no message is built from a value, but if one ever were, a header or env
// value (or any variable value used in expansion) is masked. Very short values are skipped:
// masking "on" inside every message would make them unreadable and protects nothing.
const MIN_SECRET_LENGTH = 4;

export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('***');
  }
  return out;
}

/** Two stages can spot the same thing (e.g. zod and a rule); one line per problem is enough. */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.severity}\u0000${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
