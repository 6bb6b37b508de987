// Index terms as small integers. A vocabulary maps every word it has met (as it appears in text,
// lower-cased) straight to its term's id, so indexing a text is one pass over its bytes with
// no string made per word: a word seen before is found by hashing its characters in place, and
// only a new word is sliced out, stop-word-checked and stemmed. Ids let the index count with typed
// arrays instead of maps. Bounded: a full vocabulary is replaced by a new one for the analyses that
// follow; an index keeps the vocabulary its documents were analysed with.
import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';

/** Distinct words remembered per vocabulary before a new one is started (a catalog of 5,000 tools has a few thousand). */
export const MAX_WORDS = 1 << 18;

/** A word's value when it is no term (a stop word). */
const DROPPED = -1;

export class Vocabulary {
  static #current = new Vocabulary();

  /** The vocabulary new analyses use (a fresh one once the current one is full). */
  static current(): Vocabulary {
    if (Vocabulary.#current.full) Vocabulary.renew();
    return Vocabulary.#current;
  }

  /** Starts a new current vocabulary (what a full one does); analyses made before are redone when indexed. */
  static renew(): void {
    Vocabulary.#current = new Vocabulary();
  }

  readonly #ids = new Map<string, number>();
  readonly #terms: string[] = [];

  // Words: open addressing over `#table`, four ints a slot (one cache line holds four): the
  // word's hash, its length (0: empty slot), where its lower-cased characters start in `#chars`,
  // and its value (term id, or −1).
  #table = new Int32Array(4 << 12);
  #chars = new Uint16Array(1 << 15);
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
   * The term id of the word `bytes[start, end)` (ASCII letters and digits, any case, 2 …
   * MAX_WORD_LENGTH of them) whose lower-cased codes hash to `hash` (tokenize.ts's HASH_SEED /
   * FNV-1a), or −1 for a stop word.
   */
  word(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.#table;
    const chars = this.#chars;
    const mask = (table.length >> 2) - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const known = table[at + 1]!;
      if (known === 0) return this.#add(bytes, start, end, hash, at);
      if (table[at] !== hash || known !== length) continue;
      const from = table[at + 2]! - start;
      let i = start;
      while (i < end) {
        const c = bytes[i]!;
        if (chars[from + i] !== (c >= 65 && c <= 90 ? c + 32 : c)) break;
        i++;
      }
      if (i === end) return table[at + 3]!;
    }
  }

  #add(bytes: Uint8Array, start: number, end: number, hash: number, at: number): number {
    const length = end - start;
    if (this.#charsUsed + length > this.#chars.length) this.#chars = grown(this.#chars, this.#charsUsed + length);
    for (let i = 0; i < length; i++) {
      const c = bytes[start + i]!;
      this.#chars[this.#charsUsed + i] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    const word = String.fromCharCode(...this.#chars.subarray(this.#charsUsed, this.#charsUsed + length));
    const value = STOPWORDS.has(word) ? DROPPED : this.#intern(stem(word));
    this.#table[at] = hash;
    this.#table[at + 1] = length;
    this.#table[at + 2] = this.#charsUsed;
    this.#table[at + 3] = value;
    this.#charsUsed += length;
    // At most half the slots in use.
    if (++this.#words * 8 > this.#table.length) this.#rehash();
    return value;
  }

  #rehash(): void {
    const old = this.#table;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 2) - 1;
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 1] === 0) continue;
      let slot = old[from]! & mask;
      while (table[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      table.set(old.subarray(from, from + 4), slot << 2);
    }
    this.#table = table;
  }
}

function grown<T extends Uint16Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
