// Text → index terms. Identifiers are split where people see word boundaries (`_`, `-`, `.`,
// camelCase, letter/digit runs), everything is lower-cased, stop words are dropped and each word
// is reduced to its Porter stem (so "issues", "issue" and "issued" meet). The same analysis runs on
// tool text and on queries, which is what makes the two comparable.
import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';
import type { Vocabulary } from './vocabulary.js';

/** Longest word kept; longer runs are ids, hashes or base64, never something a query names. */
export const MAX_WORD_LENGTH = 40;

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

/** Term ids being collected: a growable Int32Array. */
export class TermIds {
  ids = new Int32Array(256);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) {
      const next = new Int32Array(this.ids.length * 2);
      next.set(this.ids);
      this.ids = next;
    }
    this.ids[this.length++] = id;
  }

  append(ids: Int32Array): void {
    if (this.length + ids.length > this.ids.length) {
      let n = this.ids.length * 2;
      while (n < this.length + ids.length) n *= 2;
      const next = new Int32Array(n);
      next.set(this.ids.subarray(0, this.length));
      this.ids = next;
    }
    this.ids.set(ids, this.length);
    this.length += ids.length;
  }

  /** A copy of the ids from `from` on. */
  slice(from = 0): Int32Array {
    return this.ids.slice(from, this.length);
  }
}

/** FNV-1a over lower-cased character codes: the hash Vocabulary.word() expects. */
export const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/** Byte → kind, for UTF-8 bytes: every byte of a non-ASCII character is OTHER, as the character is. */
const BYTE_KIND = new Uint8Array(256);
BYTE_KIND.set(KIND);
/** Byte → its lower-case form (ASCII capitals; everything else unchanged). */
const LOWERED = Uint8Array.from({ length: 256 }, (_, b) => (b >= 65 && b <= 90 ? b + 32 : b));

const encoder = new TextEncoder();
let bytes = new Uint8Array(1 << 16);

/**
 * Appends the ids of `terms(text)` (parts and joined forms, in the same order) to `out`: the
 * indexing path. The text is scanned as UTF-8 bytes (one native copy; a typed array reads faster
 * than a string), with the same word rules as scan() and terms(): words are ASCII letters and
 * digits, so their bytes are their characters and non-ASCII bytes separate words as the characters
 * do. Each word, and each case-split run, is hashed as it is scanned, so the vocabulary finds a
 * known word without making a string.
 */
export function appendTermIds(text: string, vocabulary: Vocabulary, out: TermIds): void {
  if (text.length * 3 > bytes.length) bytes = new Uint8Array(Math.max(text.length * 3, bytes.length * 2));
  const buf = bytes;
  const n = encoder.encodeInto(text, buf).written;
  let runStart = -1;
  let runEnd = -1;
  let parts = 0;
  let i = 0;
  while (i < n) {
    let c = buf[i]!;
    let kind = BYTE_KIND[c]!;
    if (kind === OTHER) {
      i++;
      continue;
    }
    const start = i;
    // A word right after the previous one (split by case only) continues its run.
    if (start !== runEnd) {
      if (parts > 1 && runEnd - runStart <= MAX_WORD_LENGTH) pushJoined(buf, runStart, runEnd, vocabulary, out);
      runStart = start;
      parts = 0;
    }
    let hash = HASH_SEED;
    for (;;) {
      hash = Math.imul(hash ^ LOWERED[c]!, HASH_PRIME);
      const prev = kind;
      if (++i >= n) break;
      c = buf[i]!;
      kind = BYTE_KIND[c]!;
      if (kind === OTHER) break;
      // Before a capital after a small letter or digit, and before the last capital of a run followed by a small letter.
      if (kind === UPPER && (prev !== UPPER || (i + 1 < n && BYTE_KIND[buf[i + 1]!] === LOWER))) break;
    }
    runEnd = i;
    parts++;
    if (i - start >= 2 && i - start <= MAX_WORD_LENGTH) pushId(out, vocabulary.word(buf, start, i, hash));
  }
  if (parts > 1 && runEnd - runStart <= MAX_WORD_LENGTH) pushJoined(buf, runStart, runEnd, vocabulary, out);
}

/** A case-split run's joined form (GitHub → github): rare, so hashed only when needed. */
function pushJoined(buf: Uint8Array, start: number, end: number, vocabulary: Vocabulary, out: TermIds): void {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ LOWERED[buf[i]!]!, HASH_PRIME);
  pushId(out, vocabulary.word(buf, start, end, hash));
}

function pushId(out: TermIds, id: number): void {
  if (id >= 0) out.push(id);
}

/**
 * Tool text keeps a case-split word's parts and its joined form (a query may name either); a
 * request's "GitHub" means the one thing, so a query may keep only the joined form.
 */
export type CaseSplit = 'parts-and-joined' | 'joined';

function push(out: string[], word: string): void {
  if (!STOPWORDS.has(word)) out.push(stem(word));
}

/** remember: the default; off: every text is analysed afresh (benchmarks of never-seen text). */
export type TermCacheMode = 'remember' | 'off';
let termCacheMode: TermCacheMode = 'remember';

/** Governs analyze.ts's memory of texts (a definition object's own analysis is always kept). */
export function setTermCacheMode(mode: TermCacheMode): void {
  termCacheMode = mode;
}

export function termCacheEnabled(): boolean {
  return termCacheMode === 'remember';
}
