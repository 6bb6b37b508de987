// Recursive-descent parser for the supported subset of Go's text/template grammar. Anything
// outside the subset (range, with, define, variables, char constants, unknown functions) is a
// parse error here, so `vmcp validate` reports it instead of the workflow failing at run time.
import type { Command, IfBranch, Operand, Pipeline, TemplateNode } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { TemplateError } from './values.js';

const UNSUPPORTED_KEYWORDS = new Set(['range', 'with', 'define', 'template', 'block', 'break', 'continue']);
/** Go's nesting bound for parenthesised pipelines and if blocks is generous; ours is the engine's. */
const MAX_PARSE_DEPTH = 100;

export function parseTemplate(source: string): readonly TemplateNode[] {
  const parser = new Parser(lex(source));
  const nodes = parser.list(0);
  const stray = parser.peek();
  if (stray !== undefined) throw new TemplateError(`unexpected {{${parser.keywordAt() ?? stray.value}}}`, stray.offset);
  return nodes;
}

type Keyword = 'else' | 'end';

class Parser {
  readonly #tokens: readonly Token[];
  #i = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  peek(offset = 0): Token | undefined {
    return this.#tokens[this.#i + offset];
  }

  #next(): Token {
    const token = this.#tokens[this.#i++];
    if (token === undefined) throw new TemplateError('unexpected end of template', this.#tokens.at(-1)?.offset);
    return token;
  }

  /** The keyword right after an `{{` at the cursor (else/end end a list), if any. */
  keywordAt(): Keyword | undefined {
    const open = this.peek();
    const word = this.peek(1);
    if (open?.kind !== 'open' || word?.kind !== 'ident') return undefined;
    return word.value === 'else' || word.value === 'end' ? word.value : undefined;
  }

  /** Nodes up to (not including) an `{{else}}`/`{{end}}` or the end of input. */
  list(depth: number): TemplateNode[] {
    if (depth > MAX_PARSE_DEPTH) throw new TemplateError(`template nesting exceeds the recursion limit of ${MAX_PARSE_DEPTH}`);
    const nodes: TemplateNode[] = [];
    for (let token = this.peek(); token !== undefined && this.keywordAt() === undefined; token = this.peek()) {
      if (token.kind === 'text') {
        nodes.push({ kind: 'text', text: this.#next().value });
        continue;
      }
      this.#next(); // {{
      const word = this.peek();
      if (word?.kind === 'ident' && word.value === 'if') {
        this.#next();
        nodes.push(this.#ifNode(depth));
      } else if (word?.kind === 'ident' && UNSUPPORTED_KEYWORDS.has(word.value)) {
        throw new TemplateError(`{{${word.value}}} is not supported (see docs/composite-tools.md)`, word.offset);
      } else {
        nodes.push({ kind: 'action', pipe: this.#pipeline(depth, 'close') });
      }
    }
    return nodes;
  }

  #ifNode(depth: number): TemplateNode {
    const branches: IfBranch[] = [];
    let condition = this.#pipeline(depth, 'close');
    for (;;) {
      const body = this.list(depth + 1);
      branches.push({ condition, body });
      const keyword = this.keywordAt();
      if (keyword === undefined) throw new TemplateError('unexpected end of template: missing {{end}}', this.#tokens.at(-1)?.offset);
      this.#next();
      this.#next(); // {{ else|end
      if (keyword === 'end') return this.#closeKeyword('end', { kind: 'if', branches, otherwise: [] });
      const after = this.peek();
      if (after?.kind === 'ident' && after.value === 'if') {
        this.#next();
        condition = this.#pipeline(depth, 'close');
        continue;
      }
      this.#expect('close', '{{else}}');
      const otherwise = this.list(depth + 1);
      if (this.keywordAt() !== 'end') throw new TemplateError('expected {{end}} after {{else}}', this.peek()?.offset);
      this.#next();
      this.#next();
      return this.#closeKeyword('end', { kind: 'if', branches, otherwise });
    }
  }

  #closeKeyword(name: string, node: TemplateNode): TemplateNode {
    this.#expect('close', `{{${name}}}`);
    return node;
  }

  #expect(kind: Token['kind'], what: string): Token {
    const token = this.#next();
    if (token.kind !== kind) throw new TemplateError(`unexpected ${describe(token)} in ${what}`, token.offset);
    return token;
  }

  #pipeline(depth: number, end: 'close' | 'rparen'): Pipeline {
    if (depth > MAX_PARSE_DEPTH) throw new TemplateError(`template nesting exceeds the recursion limit of ${MAX_PARSE_DEPTH}`);
    const offset = this.peek()?.offset ?? 0;
    const commands: Command[] = [];
    for (;;) {
      commands.push(this.#command(depth, end));
      const token = this.#next();
      if (token.kind === end) break;
      if (token.kind !== 'pipe') throw new TemplateError(`unexpected ${describe(token)} in pipeline`, token.offset);
    }
    commands.slice(1).forEach((c) => {
      if (c.operands[0]?.kind !== 'function') throw new TemplateError('only a function can follow "|" in a pipeline', c.offset);
    });
    return { commands, offset };
  }

  #command(depth: number, end: 'close' | 'rparen'): Command {
    const offset = this.peek()?.offset ?? 0;
    const operands: Operand[] = [];
    for (let token = this.peek(); token !== undefined && token.kind !== end && token.kind !== 'pipe'; token = this.peek()) {
      if (operands.length > 0 && !token.gap && token.kind !== 'lparen') {
        throw new TemplateError(`unexpected ${describe(token)}: separate arguments with a space`, token.offset);
      }
      operands.push(this.#operand(depth));
    }
    if (operands.length === 0) throw new TemplateError('missing value for command', offset);
    const [first] = operands;
    if (operands.length > 1 && first?.kind !== 'function') {
      throw new TemplateError('a value cannot take arguments: only a function can (e.g. {{eq .a .b}})', offset);
    }
    return { operands, offset };
  }

  #operand(depth: number): Operand {
    const token = this.#next();
    switch (token.kind) {
      case 'field':
        return { kind: 'field', path: [token.value, ...this.#fields()], offset: token.offset };
      case 'dot':
        return { kind: 'field', path: [], offset: token.offset };
      case 'variable':
        if (token.value !== '') throw new TemplateError(`variables ($${token.value}) are not supported; use $ or .`, token.offset);
        return { kind: 'field', path: this.#fields(), offset: token.offset };
      case 'lparen': {
        const target = this.#pipeline(depth + 1, 'rparen');
        const path = this.#fields();
        return path.length === 0 && target.commands.length === 1 && target.commands[0]!.operands.length === 1
          ? target.commands[0]!.operands[0]!
          : { kind: 'chain', target, path, offset: token.offset };
      }
      case 'string':
        return this.#literal({ kind: 'string', value: token.value, offset: token.offset });
      case 'number':
        return this.#literal({ kind: 'number', value: parseNumber(token), offset: token.offset });
      case 'ident':
        return this.#identifier(token);
      case 'char':
        throw new TemplateError(`character constants (${token.value}) are not supported: use a "double-quoted" string`, token.offset);
      case 'declare':
        throw new TemplateError('variable declarations are not supported', token.offset);
      default:
        throw new TemplateError(`unexpected ${describe(token)}`, token.offset);
    }
  }

  #identifier(token: Token): Operand {
    if (token.value === 'true' || token.value === 'false') {
      return this.#literal({ kind: 'bool', value: token.value === 'true', offset: token.offset });
    }
    if (token.value === 'nil') throw new TemplateError('nil is not supported', token.offset);
    if (UNSUPPORTED_KEYWORDS.has(token.value) || token.value === 'if' || token.value === 'else' || token.value === 'end') {
      throw new TemplateError(`unexpected keyword "${token.value}"`, token.offset);
    }
    if (!Object.hasOwn(FUNCTIONS, token.value)) throw new TemplateError(`function "${token.value}" is not supported`, token.offset);
    return { kind: 'function', name: token.value, offset: token.offset };
  }

  #literal(operand: Operand): Operand {
    const next = this.peek();
    if (next?.kind === 'field' && !next.gap) throw new TemplateError(`unexpected field .${next.value} after a constant`, next.offset);
    return operand;
  }

  /** Field names directly attached to the previous token (no whitespace). */
  #fields(): string[] {
    const names: string[] = [];
    for (let token = this.peek(); token?.kind === 'field' && !token.gap; token = this.peek()) names.push(this.#next().value);
    return names;
  }
}

function describe(token: Token): string {
  if (token.kind === 'close') return '"}}"';
  if (token.kind === 'open') return '"{{"';
  if (token.kind === 'field') return `field .${token.value}`;
  return `${token.kind} ${JSON.stringify(token.value)}`;
}

/** Go's constants: an integer literal is an int; a literal with ".", "e" or "E" is a float64. */
function parseNumber(token: Token): number | bigint {
  const text = token.value.replace(/_/g, '');
  if (/^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) {
    const negative = text.startsWith('-');
    const digits = text.replace(/^[+-]/, '');
    const n = BigInt(digits);
    if (n > 2n ** 63n) throw new TemplateError(`${token.value} overflows int`, token.offset);
    return negative ? -n : n;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new TemplateError(`bad number syntax: ${token.value}`, token.offset);
  return value;
}
