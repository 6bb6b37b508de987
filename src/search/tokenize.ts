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

const KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  KIND[c] = c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : OTHER;
}

function kindAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? KIND[c]! : OTHER;
}

/**
 * Calls `emit(start, end, upper)` for each word of `text` (`upper`: it has capitals to lower), in
 * one pass without regular expressions (this is the hot loop of indexing). Words break at
 * anything but ASCII letters and digits, before an upper-case letter that follows a lower-case
 * letter or digit (getUser → get user), and before the last capital of a capital run followed by
 * a lower-case letter (HTMLParser → html parser). Digits stay with their word (k8s, v2, html5).
 */
function scan(text: string, emit: (start: number, end: number, upper: boolean) => void): void {
  let start = -1;
  let upper = false;
  let prev = OTHER;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const kind = i < n ? kindAt(text, i) : OTHER;
    const boundary =
      kind === OTHER ||
      (kind === UPPER && (prev === LOWER || prev === DIGIT || (prev === UPPER && i + 1 < n && kindAt(text, i + 1) === LOWER)));
    if (boundary && start >= 0) {
      emit(start, i, upper);
      start = -1;
    }
    if (kind !== OTHER && start < 0) {
      start = i;
      upper = false;
    }
    if (kind === UPPER) upper = true;
    prev = kind;
  }
}

function slice(text: string, start: number, end: number, upper: boolean): string {
  const word = text.slice(start, end);
  return upper ? word.toLowerCase() : word;
}

/** Lower-case words of a text or identifier, split at camelCase and punctuation; no stemming. */
export function words(text: string): string[] {
  const out: string[] = [];
  scan(text, (start, end, upper) => out.push(slice(text, start, end, upper)));
  return out;
}

/**
 * Index terms of a text: words minus stop words and one-letter words, stemmed. A word split only
 * by case (GitHub, MongoDB, DevTools) also yields its joined form: a server prefix is written
 * `github_…` in names and "GitHub" in prose, and both must meet.
 */
export function terms(text: string, split: CaseSplit = 'parts-and-joined'): string[] {
  const out: string[] = [];
  const pending: string[] = [];
  let runStart = -1;
  let runEnd = -1;
  let parts = 0;
  const flush = (): void => {
    const joined = parts > 1 && runEnd - runStart <= MAX_WORD_LENGTH;
    if (!joined || split === 'parts-and-joined') for (const w of pending) push(out, w);
    if (joined) push(out, text.slice(runStart, runEnd).toLowerCase());
    pending.length = 0;
    parts = 0;
  };
  scan(text, (start, end, upper) => {
    if (start !== runEnd || kindAt(text, start) === DIGIT) {
      flush();
      runStart = start;
    }
    runEnd = end;
    parts++;
    if (end - start < 2 || end - start > MAX_WORD_LENGTH) return;
    pending.push(slice(text, start, end, upper));
  });
  flush();
  return out;
}

/**
 * Tool text keeps a case-split word's parts and its joined form (a query may name either); a
 * request's "GitHub" means the one thing, so a query may keep only the joined form.
 */
export type CaseSplit = 'parts-and-joined' | 'joined';

function push(out: string[], word: string): void {
  if (!STOPWORDS.has(word)) out.push(stem(word));
}

// A catalog snapshot re-advertises mostly the same descriptions under new objects; their terms
// are remembered by text. Bounded (entries, least recently used out); short texts are not worth it.
const TERMS_CACHE_MAX = 20_000;
const TERMS_CACHE_MIN_CHARS = 24;
const termCache = new Map<string, readonly string[]>();

/** remember: the default; off: every text is analysed afresh (benchmarks of never-seen text). */
export type TermCacheMode = 'remember' | 'off';
let termCacheMode: TermCacheMode = 'remember';

/** Also governs analyze.ts's memory of whole tool texts. */
export function setTermCacheMode(mode: TermCacheMode): void {
  termCacheMode = mode;
  termCache.clear();
}

export function termCacheEnabled(): boolean {
  return termCacheMode === 'remember';
}

/** terms(text), remembered for texts seen before. The result must not be modified. */
export function cachedTerms(text: string): readonly string[] {
  if (termCacheMode === 'off' || text.length < TERMS_CACHE_MIN_CHARS) return terms(text);
  let out = termCache.get(text);
  if (out !== undefined) {
    termCache.delete(text);
  } else {
    out = terms(text);
    if (termCache.size >= TERMS_CACHE_MAX) termCache.delete(termCache.keys().next().value!);
  }
  termCache.set(text, out);
  return out;
}
