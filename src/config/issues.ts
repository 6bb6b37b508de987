// The one shape every config problem takes, whichever stage found it (YAML syntax, schema,
// ${VAR} expansion, cross-field rules), so `vmcp validate` can print them all at once.

export type IssueSeverity = 'error' | 'warning';

export interface ConfigIssue {
  /** Where in the document, e.g. `backends[1].url`; '' for the document itself. */
  readonly path: string;
  /** 1-based; present whenever the text was available. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly severity: IssueSeverity;
}

export type PathSegment = string | number;

/** An issue before positions are attached: the path is still structured so it can be located. */
export interface RawIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly severity: IssueSeverity;
  /** Point at the key rather than its value (an unknown or duplicate key). */
  readonly atKey?: boolean;
  /** Already known (YAML syntax errors come with an offset, not a path). */
  readonly position?: Position;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function error(path: readonly PathSegment[], message: string, atKey = false): RawIssue {
  return { path, message, severity: 'error', atKey };
}

export function warning(path: readonly PathSegment[], message: string, atKey = false): RawIssue {
  return { path, message, severity: 'warning', atKey };
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['backends', 1, 'headers', 'X-Key']` → `backends[1].headers.X-Key`; odd keys are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** File order, so a reader can fix issues top to bottom; errors before warnings on the same spot. */
export function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  const line = (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
  if (line !== 0) return line;
  const column = (a.column ?? 0) - (b.column ?? 0);
  if (column !== 0) return column;
  return a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1;
}

export function hasErrors(issues: readonly ConfigIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
