// A find_tool request → weighted query terms. The description and the keywords go through the
// same analysis as tool text; keywords add to the description rather than replace it (an agent's
// keywords are usually a subset of its description, and a stray keyword must not erase the rest).
import { expand, type Expansion } from './synonyms.js';
import { terms } from './tokenize.js';

/** Distinct terms a query keeps: a bound on per-query work, far above any real request. */
export const MAX_QUERY_TERMS = 64;

/**
 * Argument values inside a description — paths, file names, URLs, versions, quoted text — say
 * what to act on, not what to do ("create the folder build/output" is not about builds). Their
 * words still count, at this weight, since a value can name the service (".gitlab-ci.yml").
 */
export const LITERAL_WEIGHT = 0.3;
// A quote opens only at a word start and closes before a non-word, so "what's … else's" is no quotation.
const LITERAL = /(?<!\w)(["'`])[^"'`\n]+\1(?!\w)|\S*\w[/.:@#\\]\w\S*/g;

export interface QueryText {
  readonly description: string;
  readonly keywords?: readonly string[];
}

export function queryTerms(query: QueryText, expansion: Expansion = 'synonyms'): Map<string, number> {
  const weights = new Map<string, number>();
  const put = (term: string, weight: number): void => {
    if (weights.size >= MAX_QUERY_TERMS && !weights.has(term)) return;
    weights.set(term, Math.max(weight, weights.get(term) ?? 0));
  };
  const literals = [...query.description.matchAll(LITERAL)].map((m) => m[0]);
  const intent = query.description.replace(LITERAL, ' ');
  const direct = [...terms(intent), ...(query.keywords ?? []).flatMap((k) => terms(k))];
  for (const term of direct) put(term, 1);
  for (const term of literals.flatMap((l) => terms(l))) put(term, LITERAL_WEIGHT);
  if (expansion === 'synonyms') {
    for (const term of direct) for (const extra of expand(term)) put(extra.term, extra.weight);
  }
  return weights;
}
