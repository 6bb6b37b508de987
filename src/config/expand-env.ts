// ${VAR} and ${VAR:-default} expansion in the string values that commonly carry secrets or
// machine-specific parts: a backend's command, args, cwd, env, url and headers,
// optimizer.embeddingHeaders and telemetry.headers. Nothing else is expanded, so a `$` in a tool
// description stays a `$`. Bare `$VAR` is NOT expanded (passwords often contain `$`); `$${` writes a literal `${`.
// `${package:NAME}` is the install directory of the npm package NAME, found from vmcp's own
// location (package-dir.ts).
//
// Messages name the variable and the path, never a value: values here are typically tokens.
import { error, warning } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import { packageDir } from './package-dir.js';

export type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const INNER = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;
/** `package:` then anything but `-`, so `${package:-default}` stays a variable named "package". */
const PACKAGE = /^package:(?!-)([\s\S]*)$/;

export interface Expansion {
  readonly value: string;
  readonly missing: readonly string[];
  readonly empty: readonly string[];
  readonly malformed: boolean;
  /** Why each `${package:NAME}` that could not be resolved failed. */
  readonly packages: readonly string[];
  /** Values taken from the environment (to be kept out of any message). */
  readonly used: readonly string[];
}

/** Expand one string. Unset variables expand to '' and are listed in `missing`. */
export function expandString(text: string, env: Env): Expansion {
  const missing: string[] = [];
  const empty: string[] = [];
  const used: string[] = [];
  const packages: string[] = [];
  let malformed = false;
  const value = text.replace(REFERENCE, (whole: string, inner: string | undefined) => {
    if (whole === '$${') return '${';
    const pkg = inner === undefined ? null : PACKAGE.exec(inner);
    if (pkg !== null) {
      const found = packageDir(pkg[1] ?? '');
      if ('dir' in found) return found.dir;
      packages.push(found.problem);
      return whole;
    }
    const match = inner === undefined ? null : INNER.exec(inner);
    if (match === null) {
      malformed = true;
      return whole;
    }
    const [, name = '', fallback] = match;
    const found = env[name];
    if (found !== undefined && found !== '') used.push(found);
    // `:-` as in POSIX sh: the default applies to an unset *or* empty variable.
    if (fallback !== undefined) return found === undefined || found === '' ? fallback : found;
    if (found === undefined) missing.push(name);
    else if (found === '') empty.push(name);
    return found ?? '';
  });
  return { value, missing, empty, malformed, packages, used };
}

export interface EnvExpansionResult {
  readonly issues: readonly RawIssue[];
  /** Every env/header value and every variable value used: redact these from messages. */
  readonly secrets: readonly string[];
}

const SCALAR_FIELDS = ['command', 'cwd', 'url'] as const;
const MAP_FIELDS = ['env', 'headers'] as const;

/**
 * Expand references in place in the raw (pre-schema) data. Working on raw data means a missing
 * variable is reported even when the same file has schema errors. `data` is the fresh object
 * parsed from YAML, owned by the caller's load, so mutating it is safe.
 */
export function expandConfigEnv(data: unknown, env: Env): EnvExpansionResult {
  const issues: RawIssue[] = [];
  const secrets: string[] = [];
  const backends = isRecord(data) && Array.isArray(data.backends) ? data.backends : [];
  backends.forEach((backend: unknown, index: number) => {
    if (!isRecord(backend)) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ['backends', index, ...rest];
    const visit = (holder: Record<string, unknown> | unknown[], key: string | number, path: PathSegment[], secret: boolean): void => {
      const current = (holder as Record<string | number, unknown>)[key];
      if (typeof current !== 'string') return;
      const result = expandString(current, env);
      (holder as Record<string | number, unknown>)[key] = result.value;
      secrets.push(...result.used);
      if (secret) secrets.push(result.value, current);
      issues.push(...expansionIssues(result, path));
    };
    for (const field of SCALAR_FIELDS) visit(backend, field, at(field), false);
    const args = backend.args;
    if (Array.isArray(args)) args.forEach((_, i) => visit(args, i, at('args', i), false));
    for (const field of MAP_FIELDS) {
      const map = backend[field];
      if (isRecord(map)) for (const key of Object.keys(map)) visit(map, key, at(field, key), true);
    }
  });
  // optimizer.embeddingHeaders and telemetry.headers values are secrets like backend headers (API keys).
  expandHeaderMap(data, 'optimizer', 'embeddingHeaders', env, issues, secrets);
  expandHeaderMap(data, 'telemetry', 'headers', env, issues, secrets);
  return { issues, secrets };
}

function expandHeaderMap(data: unknown, section: string, field: string, env: Env, issues: RawIssue[], secrets: string[]): void {
  const holder = isRecord(data) && isRecord(data[section]) ? data[section] : undefined;
  const headers = holder !== undefined && isRecord(holder[field]) ? holder[field] : {};
  for (const key of Object.keys(headers)) {
    const current = headers[key];
    if (typeof current !== 'string') continue;
    const result = expandString(current, env);
    headers[key] = result.value;
    secrets.push(...result.used, result.value, current);
    issues.push(...expansionIssues(result, [section, field, key]));
  }
}

function expansionIssues(result: Expansion, path: PathSegment[]): RawIssue[] {
  const issues: RawIssue[] = [];
  if (result.malformed) {
    issues.push(
      error(path, 'malformed variable reference: write ${NAME}, ${NAME:-default} or ${package:NAME} (and $${ for a literal "${")'),
    );
  }
  for (const problem of new Set(result.packages)) issues.push(error(path, problem));
  for (const name of new Set(result.missing)) {
    issues.push(error(path, `environment variable "${name}" is not set (give a default with \${${name}:-default})`));
  }
  for (const name of new Set(result.empty)) {
    issues.push(warning(path, `environment variable "${name}" is set but empty`));
  }
  return issues;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
