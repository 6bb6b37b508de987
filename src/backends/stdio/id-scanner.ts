// Finds the top-level "id" of a JSON object without parsing (or keeping) the object: a small
// state machine over bytes that tracks nesting and strings. Used on oversized lines only.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_CAPTURE = 256;

type Mode = 'key' | 'afterKey' | 'value' | 'idValue' | 'other';

export class IdScanner {
  #depth = 0;
  #inString = false;
  #escape = false;
  #mode: Mode = 'other';
  #capture: number[] | undefined;
  #key = '';
  #id: string | number | undefined;
  #done = false;

  get id(): string | number | undefined {
    return this.#id;
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && !this.#done; i++) this.#byte(bytes[i]!);
  }

  #byte(b: number): void {
    if (this.#inString) return this.#stringByte(b);
    if (this.#mode === 'idValue' && this.#capture && b !== QUOTE) return this.#numberByte(b);
    if (b === QUOTE) {
      this.#inString = true;
      if (this.#depth === 1 && this.#mode === 'key') this.#capture = [];
      else if (this.#depth === 1 && this.#mode === 'idValue') this.#capture = [];
      return;
    }
    if (b === 0x7b || b === 0x5b) {
      this.#depth += 1;
      if (this.#depth === 1) this.#mode = 'key';
    } else if (b === 0x7d || b === 0x5d) this.#depth -= 1;
    else if (this.#depth === 1 && b === 0x3a) this.#mode = this.#key === 'id' ? 'idValue' : 'value';
    else if (this.#depth === 1 && b === 0x2c) this.#mode = 'key';
    else if (this.#mode === 'idValue' && ((b >= 0x30 && b <= 0x39) || b === 0x2d)) this.#capture = [b];
  }

  #stringByte(b: number): void {
    if (this.#escape) this.#escape = false;
    else if (b === BACKSLASH) this.#escape = true;
    else if (b === QUOTE) return this.#endString();
    if (this.#capture && this.#capture.length < MAX_CAPTURE) this.#capture.push(b);
  }

  #endString(): void {
    this.#inString = false;
    const text = this.#capture ? Buffer.from(this.#capture).toString('utf8') : undefined;
    this.#capture = undefined;
    if (this.#depth !== 1) return;
    if (this.#mode === 'key') {
      this.#key = text ?? '';
      this.#mode = 'afterKey';
    } else if (this.#mode === 'idValue') {
      this.#id = text;
      this.#done = true;
    }
  }

  #numberByte(b: number): void {
    const digit = (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b;
    if (digit && this.#capture!.length < MAX_CAPTURE) {
      this.#capture!.push(b);
      return;
    }
    const n = Number(Buffer.from(this.#capture!).toString('ascii'));
    this.#capture = undefined;
    if (Number.isFinite(n)) this.#id = n;
    this.#done = true;
  }
}
