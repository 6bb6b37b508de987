// Index terms as small integers. A vocabulary maps every word it has met (as it appears in text,
// lower-cased) straight to its term's id, so indexing a text is one pass over its characters with
// no string made per word: a word seen before is found by hashing its characters in place, and
// only a new word is sliced out, stop-word-checked and stemmed. Ids let the index count with typed
// arrays instead of maps. Bounded: a full vocabulary is replaced by a new one for the analyses that
// follow; an index keeps the vocabulary its documents were analysed with.
import { stem } from './tokenize.js';
import { STOPWORDS } from './stopwords.js';

/** Distinct words remembered per vocabulary before a new one is started. */
export const MAX_WORDS = 1 << 20;

/** A word's value when it is no term (a stop word). */
const DROPPED = -1;

export class Vocabulary {
  static #current = new Vocabulary();

  /** The vocabulary new analyses use (a fresh one once the current one is full). */
  static current(): Vocabulary {
    if (Vocabulary.#current.full) Vocabulary.#current = new Vocabulary();
    return Vocabulary.#current;
  }

  readonly #ids = new Map<string, number>();
  readonly #terms: string[] = [];

  // Words: open addressing over `#table` (pairs: hash, entry + 1; 0 empty). An entry is three
  // ints in `#entries` (start of its characters in `#chars`, length, value).
  #table = new Int32Array(2 << 14);
  #entries = new Int32Array(3 << 13);
  #chars = new Uint16Array(1 << 16);
  #charsUsed = 0;
  #words = 0;

  get full(): boolean {
    return this.#words >= MAX_WORDS;
  }

  /** Distinct terms: ids are 0 … size − 1. */
  get size(): number {
    return this.#terms.length;
  }

  /** The id of a term (a stemmed word), if any text analysed with this vocabulary had it. */
  idOf(term: string): number | undefined {
    return this.#ids.get(term);
  }

  term(id: number): string {
    return this.#terms[id] ?? '';
  }

  #intern(term: string): number {
    let id = this.#ids.get(term);
    if (id === undefined) {
      id = this.#terms.push(term) - 1;
      this.#ids.set(term, id);
    }
    return id;
  }

  /**
   * The term id of the word `text[start, end)` (ASCII letters and digits, any case, 2 …
   * MAX_WORD_LENGTH characters) whose lower-cased codes hash to `hash` (tokenize.ts's
   * HASH_SEED / FNV-1a), or −1 for a stop word.
   */
  word(text: string, start: number, end: number, hash: number): number {
    const table = this.#table;
    const entries = this.#entries;
    const chars = this.#chars;
    const mask = (table.length >> 1) - 1;
    const length = end - start;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = table[2 * at + 1]! - 1;
      if (entry < 0) return this.#add(text, start, end, hash, at);
      if (table[2 * at] !== hash || entries[3 * entry + 1] !== length) continue;
      const from = entries[3 * entry]! - start;
      let i = start;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (chars[from + i] !== (c >= 65 && c <= 90 ? c + 32 : c)) break;
        i++;
      }
      if (i === end) return entries[3 * entry + 2]!;
    }
  }

  #add(text: string, start: number, end: number, hash: number, at: number): number {
    const word = text.slice(start, end).toLowerCase();
    const value = STOPWORDS.has(word) ? DROPPED : this.#intern(stem(word));
    const entry = this.#words++;
    if (3 * entry + 3 > this.#entries.length) this.#entries = grown(this.#entries, 3 * entry + 3);
    if (this.#charsUsed + word.length > this.#chars.length) this.#chars = grown(this.#chars, this.#charsUsed + word.length);
    for (let i = 0; i < word.length; i++) this.#chars[this.#charsUsed + i] = word.charCodeAt(i);
    this.#entries[3 * entry] = this.#charsUsed;
    this.#entries[3 * entry + 1] = word.length;
    this.#entries[3 * entry + 2] = value;
    this.#charsUsed += word.length;
    this.#table[2 * at] = hash;
    this.#table[2 * at + 1] = entry + 1;
    if (this.#words * 4 > this.#table.length) this.#rehash();
    return value;
  }

  #rehash(): void {
    const old = this.#table;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 1) - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at + 1] === 0) continue;
      let to = old[at]! & mask;
      while (table[2 * to + 1] !== 0) to = (to + 1) & mask;
      table[2 * to] = old[at]!;
      table[2 * to + 1] = old[at + 1]!;
    }
    this.#table = table;
  }
}

function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
