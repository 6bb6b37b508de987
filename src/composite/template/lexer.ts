// Tokenizer for the Go text/template subset (https://pkg.go.dev/text/template): text between
// `{{ }}` actions, trim markers (`{{- ` and ` -}}`), comments (`{{/* */}}`), and the tokens
// inside an action. Every token records whether whitespace preceded it, because Go tells
// `.a.b` (one field chain) from `.a .b` (two arguments) by exactly that.
import { TemplateError } from './values.js';

export type TokenKind =
  | 'text'
  | 'open'
  | 'close'
  | 'field'
  | 'dot'
  | 'variable'
  | 'ident'
  | 'string'
  | 'number'
  | 'char'
  | 'lparen'
  | 'rparen'
  | 'pipe'
  | 'declare';

export interface Token {
  readonly kind: TokenKind;
  /** Field/identifier/variable name, string contents, number text or raw text. */
  readonly value: string;
  readonly offset: number;
  /** Whitespace came right before this token (inside an action). */
  readonly gap: boolean;
}

const SPACE = /[ \t\r\n]/;
const IDENT_START = /[\p{L}_]/u;
const IDENT_CHAR = /[\p{L}\p{N}_]/u;
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)/;

export function lex(source: string): Token[] {
  const lexer = new Lexer(source);
  lexer.run();
  return lexer.tokens;
}

class Lexer {
  readonly tokens: Token[] = [];
  readonly #src: string;
  #pos = 0;

  constructor(source: string) {
    this.#src = source;
  }

  run(): void {
    while (this.#pos < this.#src.length) {
      const open = this.#src.indexOf('{{', this.#pos);
      const end = open === -1 ? this.#src.length : open;
      const trimLeft = open !== -1 && this.#src[open + 2] === '-' && SPACE.test(this.#src[open + 3] ?? '');
      let text = this.#src.slice(this.#pos, end);
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
      if (text !== '') this.#push('text', text, this.#pos, false);
      if (open === -1) return;
      this.#pos = open + (trimLeft ? 4 : 2);
      this.#action(open);
    }
  }

  #push(kind: TokenKind, value: string, offset: number, gap: boolean): void {
    this.tokens.push({ kind, value, offset, gap });
  }

  #action(open: number): void {
    if (this.#comment(open)) return;
    this.#push('open', '{{', open, false);
    for (;;) {
      const gap = this.#skipSpace();
      if (this.#pos >= this.#src.length) throw new TemplateError('unclosed action: missing "}}"', open);
      const closeLen = this.#closeAt(this.#pos, gap);
      if (closeLen > 0) {
        const trimRight = closeLen === 3;
        this.#push('close', '}}', this.#pos, gap);
        this.#pos += closeLen;
        if (trimRight) this.#pos += /^[ \t\r\n]*/.exec(this.#src.slice(this.#pos))![0].length;
        return;
      }
      this.#token(gap);
    }
  }

  /** `{{/* … *\/}}`, possibly with trim markers; Go requires the comment to end the action. */
  #comment(open: number): boolean {
    if (!this.#src.startsWith('/*', this.#pos)) return false;
    const end = this.#src.indexOf('*/', this.#pos + 2);
    if (end === -1) throw new TemplateError('unclosed comment', open);
    this.#pos = end + 2;
    const gap = this.#skipSpace();
    const closeLen = this.#closeAt(this.#pos, gap);
    if (closeLen === 0) throw new TemplateError('comment ends before closing delimiter', open);
    this.#pos += closeLen;
    if (closeLen === 3) this.#pos += /^[ \t\r\n]*/.exec(this.#src.slice(this.#pos))![0].length;
    return true;
  }

  /** 2 for `}}`, 3 for `-}}` after whitespace (a trim marker), else 0. */
  #closeAt(pos: number, gap: boolean): number {
    if (this.#src.startsWith('}}', pos)) return 2;
    if (gap && this.#src.startsWith('-}}', pos)) return 3;
    return 0;
  }

  #skipSpace(): boolean {
    const start = this.#pos;
    while (SPACE.test(this.#src[this.#pos] ?? '')) this.#pos++;
    return this.#pos > start;
  }

  #token(gap: boolean): void {
    const c = this.#src[this.#pos] ?? '';
    const start = this.#pos;
    const op = /^(==|!=|<=|>=|&&|\|\||[<>!&])/.exec(this.#src.slice(this.#pos, this.#pos + 2))?.[0];
    if (op !== undefined) {
      throw new TemplateError(
        `operator ${op} is not supported: use the functions eq ne lt le gt ge and or not (e.g. {{eq .a "b"}})`,
        start,
      );
    }
    const single: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', '|': 'pipe' };
    if (single[c] !== undefined) {
      this.#pos++;
      return this.#push(single[c], c, start, gap);
    }
    if (c === '"') return this.#push('string', this.#quoted(), start, gap);
    if (c === '`') return this.#push('string', this.#raw(), start, gap);
    if (c === "'") return this.#push('char', this.#char(), start, gap);
    if (c === ':' && this.#src[this.#pos + 1] === '=') return this.#declare(start, gap, 2);
    if (c === '=') return this.#declare(start, gap, 1);
    if (c === '$') return this.#push('variable', this.#name(1), start, gap);
    if (c === '.' && IDENT_START.test(this.#src[this.#pos + 1] ?? '')) return this.#push('field', this.#name(1), start, gap);
    if (c === '.' && !/[0-9]/.test(this.#src[this.#pos + 1] ?? '')) {
      this.#pos++;
      return this.#push('dot', '.', start, gap);
    }
    if (/[0-9.+-]/.test(c)) return this.#push('number', this.#number(), start, gap);
    if (IDENT_START.test(c)) return this.#push('ident', this.#name(0), start, gap);
    throw new TemplateError(`unexpected character ${JSON.stringify(c)} in action`, start);
  }

  #declare(start: number, gap: boolean, length: number): void {
    this.#pos += length;
    this.#push('declare', this.#src.slice(start, start + length), start, gap);
  }

  #name(skip: number): string {
    const start = this.#pos + skip;
    let end = start;
    while (end < this.#src.length && IDENT_CHAR.test(this.#src[end] ?? '')) end++;
    this.#pos = end;
    return this.#src.slice(start, end);
  }

  #number(): string {
    const match = NUMBER.exec(this.#src.slice(this.#pos))?.[0] ?? '';
    const next = this.#src[this.#pos + match.length] ?? '';
    if (match === '' || match === '+' || match === '-' || match === '.' || IDENT_CHAR.test(next) || next === '.') {
      throw new TemplateError(`bad number syntax: ${JSON.stringify(this.#src.slice(this.#pos, this.#pos + match.length + 1))}`, this.#pos);
    }
    this.#pos += match.length;
    return match;
  }

  #quoted(): string {
    const start = this.#pos;
    let end = start + 1;
    while (end < this.#src.length && this.#src[end] !== '"') {
      if (this.#src[end] === '\n') break;
      end += this.#src[end] === '\\' ? 2 : 1;
    }
    if (this.#src[end] !== '"') throw new TemplateError('unterminated quoted string', start);
    this.#pos = end + 1;
    return unquote(this.#src.slice(start + 1, end), start);
  }

  #raw(): string {
    const start = this.#pos;
    const end = this.#src.indexOf('`', start + 1);
    if (end === -1) throw new TemplateError('unterminated raw quoted string', start);
    this.#pos = end + 1;
    return this.#src.slice(start + 1, end).replace(/\r/g, '');
  }

  #char(): string {
    const start = this.#pos;
    const end = this.#src.indexOf("'", start + 1);
    this.#pos = end === -1 ? this.#src.length : end + 1;
    return this.#src.slice(start, this.#pos);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/** Go's interpreted string literal escapes: \n \t \" \\ \xHH \uHHHH \UHHHHHHHH \ooo. */
function unquote(body: string, offset: number): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_whole, esc: string) => {
    if (ESCAPES[esc] !== undefined) return ESCAPES[esc];
    if (/^[xuU]/.test(esc) && esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]{3}$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    throw new TemplateError(`unknown escape sequence \\${esc} in string`, offset);
  });
}
