import type { ConfigIssue } from '../config/issues.js';

/** `FILE:LINE:COL  path  message`, one issue a line (the same format as `vmcp validate`). */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map((i) => `${file}:${i.line ?? 0}:${i.column ?? 0}  ${i.severity}  ${i.path || '(root)'}  ${i.message}\n`)
    .join('');
}
