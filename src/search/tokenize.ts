// Text → index terms. Identifiers are split where people see word boundaries (`_`, `-`, `.`,
// camelCase, letter/digit runs), everything is lower-cased, stop words are dropped and each word
// is reduced to its Porter stem (so "issues", "issue" and "issued" meet). The same analysis runs on
// tool text and on queries, which is what makes the two comparable.
import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.js';

// Stemming is the costly step and vocabularies are small (a few thousand distinct words over
// thousands of tools), so stems are memoized. Bounded: arbitrary query text must not grow it
// forever; when full it is simply emptied and refilled.
const STEM_CACHE_MAX = 50_000;
const stems = new Map<string, string>();

/** Longest word kept; longer runs are ids, hashes or base64, never something a query names. */
const MAX_WORD_LENGTH = 40;

/** The stem of one lower-case word. */
export function stem(word: string): string {
  let out = stems.get(word);
  if (out === undefined) {
    out = /^[0-9]+$/.test(word) ? word : stemmer(word);
    if (stems.size >= STEM_CACHE_MAX) stems.clear();
    stems.set(word, out);
  }
  return out;
}

// One pass over the original text: an upper-case run not followed by a lower-case letter
// (HTML, API, with trailing digits: HTML5), or an optionally capitalised lower-case/digit run
// (parse, Document, k8s, v2). Anything else (punctuation, `_`, `-`, `.`, spaces) separates words.
const WORD = /[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z0-9]+/g;

/** Lower-case words of a text or identifier, split at camelCase and punctuation; no stemming. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) out.push(match[0].toLowerCase());
  return out;
}

/** Index terms of a text: words minus stop words and one-letter words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (word.length < 2 || word.length > MAX_WORD_LENGTH || STOPWORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}
