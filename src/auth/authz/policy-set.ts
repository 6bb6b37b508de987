// Policy files → one Cedar policy set, with problems reported per file and line.
//
// Each file is parsed on its own so Cedar's byte offsets point into *that* file. Policies get
// stable ids we choose (Cedar would number them policy0…policyN across the whole set, which says
// nothing to an operator reading a log): the `@id("…")` annotation when present, otherwise
// "<file id>:<line>". Ids are internal — they appear in logs, never on the wire.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { DetailedError, PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { byteOffsetToLineColumn, charOffsetToLineColumn } from './source-position.js';
import { lintPolicy } from './lint.js';

export interface PolicySource {
  /** Short name used to build policy ids (e.g. the file name). */
  readonly id: string;
  /** The Cedar policy text (any number of policies). */
  readonly text: string;
  /** Where the text came from, as shown to the user (a path). */
  readonly source: string;
}

export interface PolicyIssue {
  readonly source: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface CompiledPolicies {
  /** Policy id → policy text, ready for `preparsePolicySet`. */
  readonly policies: Readonly<Record<string, string>>;
  /** Ids of `forbid` policies: an evaluation error in one of these denies (fail closed). */
  readonly forbids: ReadonlySet<string>;
  readonly issues: readonly PolicyIssue[];
}

interface Accumulator {
  policies: Record<string, string>;
  forbids: Set<string>;
  issues: PolicyIssue[];
}

/** Parses and lints every file; never throws on bad policy text (problems become issues). */
export function compilePolicies(files: readonly PolicySource[]): CompiledPolicies {
  const acc: Accumulator = { policies: {}, forbids: new Set(), issues: [] };
  for (const file of files) compileFile(file, acc);
  return acc;
}

function compileFile(file: PolicySource, acc: Accumulator): void {
  const parts = cedar.policySetTextToParts(file.text);
  if (parts.type === 'failure') {
    acc.issues.push(...parts.errors.flatMap((e) => cedarErrorIssues(file, e)));
    return;
  }
  for (const tpl of locate(file.text, parts.policy_templates)) {
    acc.issues.push({
      source: file.source,
      ...tpl.at,
      message: 'policy templates (?principal / ?resource slots) are not supported: vmcp has no template links; write a static policy',
    });
  }
  for (const part of locate(file.text, parts.policies)) addPolicy(file, part, acc);
}

function addPolicy(file: PolicySource, part: LocatedPart, acc: Accumulator): void {
  const json = cedar.policyToJson(part.text);
  if (json.type === 'failure') {
    acc.issues.push(...json.errors.map((e) => ({ source: file.source, ...part.at, message: e.message })));
    return;
  }
  const id = policyId(file, part, json.json);
  if (acc.policies[id] !== undefined) {
    acc.issues.push({ source: file.source, ...part.at, message: `duplicate policy id "${id}"` });
    return;
  }
  for (const message of lintPolicy(json.json)) acc.issues.push({ source: file.source, ...part.at, message });
  acc.policies[id] = part.text;
  if (json.json.effect === 'forbid') acc.forbids.add(id);
}

function policyId(file: PolicySource, part: LocatedPart, json: PolicyJson): string {
  const annotated = json.annotations?.['id'];
  if (annotated) return annotated;
  return part.at.line === undefined ? `${file.id}#${part.index}` : `${file.id}:${part.at.line}`;
}

interface LocatedPart {
  readonly text: string;
  readonly index: number;
  readonly at: { line?: number; column?: number };
}

/**
 * Finds where each policy starts. `policySetTextToParts` returns verbatim slices sorted by
 * Cedar's internal id ("policy10" before "policy2"), so we search the text for each slice and
 * sort by position; identical policies claim successive occurrences.
 */
function locate(text: string, parts: readonly string[]): LocatedPart[] {
  const claimed = new Set<number>();
  const found = parts.map((part) => {
    let pos = text.indexOf(part);
    while (pos !== -1 && claimed.has(pos)) pos = text.indexOf(part, pos + 1);
    if (pos !== -1) claimed.add(pos);
    return { part, pos };
  });
  found.sort((a, b) => (a.pos === -1 ? Infinity : a.pos) - (b.pos === -1 ? Infinity : b.pos));
  return found.map(({ part, pos }, index) => ({
    text: part,
    index,
    at: pos === -1 ? {} : charOffsetToLineColumn(text, pos),
  }));
}

/** One issue per located Cedar error (and per related error), message made readable. */
function cedarErrorIssues(file: PolicySource, error: DetailedError): PolicyIssue[] {
  const own = errorIssue(file, error);
  const related = (error.related ?? []).flatMap((r) => cedarErrorIssues(file, r));
  return related.length > 0 && !own.line ? related : [own, ...related.filter((r) => r.message !== own.message || r.line !== own.line)];
}

function errorIssue(file: PolicySource, error: DetailedError): PolicyIssue {
  const location = error.sourceLocations?.[0];
  const base = error.message.replace(/^failed to parse policies from string: /, '');
  const label = location?.label ? `: ${location.label}` : '';
  const help = error.help ? ` (${error.help})` : '';
  const at = location ? byteOffsetToLineColumn(file.text, location.start) : {};
  return { source: file.source, ...at, message: `${base}${label}${help}` };
}
