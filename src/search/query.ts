// A find_tool request → weighted query terms. The description and the keywords go through the
// same analysis as tool text; keywords add to the description rather than replace it (an agent's
// keywords are usually a subset of its description, and a stray keyword must not erase the rest).
import { expand, type Expansion } from './synonyms.js';
import { terms, type CaseSplit } from './tokenize.js';

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

const NUMBER = /^[0-9]+$/;
const QUERY_SPLIT: CaseSplit = 'joined';

export interface QueryText {
  readonly description: string;
  readonly keywords?: readonly string[];
}

/** One word of the request and the terms that satisfy it (itself and its synonyms). */
export interface Concept {
  /** The word's own term: its IDF weighs the concept. */
  readonly head: string;
  /** 1 for a word of the request, LITERAL_WEIGHT for a word of an argument value. */
  readonly weight: number;
  readonly members: readonly string[];
}

export interface QueryPlan {
  /** Every term scored, with its weight (the highest any concept gives it). */
  readonly weights: ReadonlyMap<string, number>;
  /** The request's distinct words, for coordination (how much of the request a tool covers). */
  readonly concepts: readonly Concept[];
}

export function queryTerms(query: QueryText, expansion: Expansion = 'synonyms'): Map<string, number> {
  return new Map(queryPlan(query, expansion).weights);
}

export function queryPlan(query: QueryText, expansion: Expansion = 'synonyms'): QueryPlan {
  const weights = new Map<string, number>();
  const put = (term: string, weight: number): boolean => {
    if (weights.size >= MAX_QUERY_TERMS && !weights.has(term)) return false;
    weights.set(term, Math.max(weight, weights.get(term) ?? 0));
    return true;
  };
  const concepts = new Map<string, Concept>();
  const conceptOf = (head: string, weight: number): void => {
    // A bare number in a request is an argument ("issue 17", "port 8080"), never what a tool does.
    if (NUMBER.test(head) || !put(head, weight)) return;
    const known = concepts.get(head);
    if (known !== undefined && known.weight >= weight) return;
    const extra = expansion === 'synonyms' && weight === 1 ? expand(head).filter((e) => put(e.term, e.weight)) : [];
    concepts.set(head, { head, weight, members: [head, ...extra.map((e) => e.term)] });
  };
  const literals = [...query.description.matchAll(LITERAL)].map((m) => m[0]);
  const intent = query.description.replace(LITERAL, ' ');
  for (const term of [...terms(intent, QUERY_SPLIT), ...(query.keywords ?? []).flatMap((k) => terms(k, QUERY_SPLIT))]) conceptOf(term, 1);
  for (const term of literals.flatMap((l) => terms(l, QUERY_SPLIT))) conceptOf(term, LITERAL_WEIGHT);
  return { weights, concepts: [...concepts.values()] };
}
