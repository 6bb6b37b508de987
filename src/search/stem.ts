// The Porter stem of one word, memoized. Shared by the text analyzer (tokenize.ts) and the
// vocabulary, which stems each word it interns.
import { stemmer } from 'stemmer';

// Stemming is the costly step and vocabularies are small (a few thousand distinct words over
// thousands of tools), so stems are memoized. Bounded: arbitrary query text must not grow it
// forever; when full it is simply emptied and refilled.
const STEM_CACHE_MAX = 50_000;
const stems = new Map<string, string>();

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
