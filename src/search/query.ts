// A find_tool request → weighted query terms. The description and the keywords go through the
// same analysis as tool text; keywords add to the description rather than replace it (an agent's
// keywords are usually a subset of its description, and a stray keyword must not erase the rest).
import { expand, type Expansion } from './synonyms.js';
import { terms } from './tokenize.js';

/** Distinct terms a query keeps: a bound on per-query work, far above any real request. */
export const MAX_QUERY_TERMS = 64;

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
  const direct = [...terms(query.description), ...(query.keywords ?? []).flatMap((k) => terms(k))];
  for (const term of direct) put(term, 1);
  if (expansion === 'synonyms') {
    for (const term of direct) for (const extra of expand(term)) put(extra.term, extra.weight);
  }
  return weights;
}
