// A readable diff of a pinned tool definition against what the backend serves now: each field as
// pretty JSON (keys sorted), compared line by line (longest common subsequence). Tool definitions
// are small; past MAX_LINES a field is shown as removed-then-added instead of aligned.
import { canonicalJson, PINNED_FIELDS } from './canonical.js';

const MAX_LINES = 1000;

export interface FieldDiff {
  readonly field: string;
  /** Unified-style lines: "  same", "- old", "+ new". */
  readonly lines: readonly string[];
}

/** The fields that differ, each with its line diff; empty when the definitions are equal. */
export function diffDefinitions(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of PINNED_FIELDS) {
    const a = pretty(before[field]);
    const b = pretty(after[field]);
    if (a.join('\n') === b.join('\n')) continue;
    out.push({ field, lines: diffLines(a, b) });
  }
  return out;
}

/** The diff as text for a terminal: a header per field, then its lines. */
export function renderDiff(diffs: readonly FieldDiff[]): string {
  return diffs.map((d) => `  ${d.field}:\n${d.lines.map((l) => `    ${l}`).join('\n')}\n`).join('');
}

function pretty(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split('\n');
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2).split('\n');
}

export function diffLines(a: readonly string[], b: readonly string[]): string[] {
  if (a.length > MAX_LINES || b.length > MAX_LINES) return [...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  while (i < a.length) out.push(`- ${a[i++]}`);
  while (j < b.length) out.push(`+ ${b[j++]}`);
  return out;
}
