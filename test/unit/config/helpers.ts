// Shared helpers for the config tests.
import assert from 'node:assert/strict';
import type { ConfigIssue } from '../../../src/config/issues.js';

export interface Expected {
  readonly path: string;
  readonly line: number;
  readonly severity?: 'error' | 'warning';
  /** A fragment the message must contain. */
  readonly message: string | RegExp;
}

/** Assert that one issue has exactly this path, line and severity, and a matching message. */
export function assertIssue(issues: readonly ConfigIssue[], expected: Expected): ConfigIssue {
  const severity = expected.severity ?? 'error';
  const found = issues.find(
    (i) =>
      i.path === expected.path &&
      i.line === expected.line &&
      i.severity === severity &&
      (typeof expected.message === 'string' ? i.message.includes(expected.message) : expected.message.test(i.message)),
  );
  assert.ok(
    found,
    `expected ${severity} at ${expected.path} line ${expected.line} matching ${String(expected.message)}; got:\n${dump(issues)}`,
  );
  return found;
}

export function dump(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  ${i.line}:${i.column} ${i.severity} ${i.path}: ${i.message}`).join('\n');
}

export const errorsOf = (issues: readonly ConfigIssue[]): ConfigIssue[] => issues.filter((i) => i.severity === 'error');

/** Dedent a template literal so YAML fixtures can be indented with the test code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indent = Math.min(
    ...text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.length - l.trimStart().length),
  );
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n');
}
