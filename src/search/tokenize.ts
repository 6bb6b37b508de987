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

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function kindOf(c: number): number {
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 48 && c <= 57) return DIGIT;
  return OTHER;
}

/**
 * Calls `emit` with each lower-case word of `text`, in one pass without regular expressions (this
 * is the hot loop of indexing). Words break at anything but ASCII letters and digits, before an
 * upper-case letter that follows a lower-case letter or digit (getUser → get user), and before the
 * last capital of a capital run followed by a lower-case letter (HTMLParser → html parser).
 * Digits stay with their word (k8s, v2, html5).
 */
function scan(text: string, emit: (word: string) => void): void {
  let start = -1;
  let prev = OTHER;
  for (let i = 0; i <= text.length; i++) {
    const kind = i < text.length ? kindOf(text.charCodeAt(i)) : OTHER;
    const acronymEnd = kind === UPPER && prev === UPPER && i + 1 < text.length && kindOf(text.charCodeAt(i + 1)) === LOWER;
    const boundary = kind === OTHER || (kind === UPPER && (prev === LOWER || prev === DIGIT)) || acronymEnd;
    if (boundary && start >= 0) {
      emit(text.slice(start, i).toLowerCase());
      start = -1;
    }
    if (kind !== OTHER && start < 0) start = i;
    prev = kind;
  }
}

/** Lower-case words of a text or identifier, split at camelCase and punctuation; no stemming. */
export function words(text: string): string[] {
  const out: string[] = [];
  scan(text, (word) => out.push(word));
  return out;
}

/** Index terms of a text: words minus stop words and one-letter words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  scan(text, (word) => {
    if (word.length >= 2 && word.length <= MAX_WORD_LENGTH && !STOPWORDS.has(word)) out.push(stem(word));
  });
  return out;
}
