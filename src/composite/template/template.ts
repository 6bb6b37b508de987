// A compiled template: parse once (at config load), render many times. `evaluate` also returns
// the unprinted value when the whole template is one action, so `"{{.params.count}}"` can reach
// an integer argument as the number 1000000 instead of Go's text "1e+06".
import type { Operand, Pipeline, TemplateNode } from './ast.js';
import { evaluatePipeline, execute } from './evaluate.js';
import { parseTemplate } from './parser.js';
import { printValue, TemplateError } from './values.js';
import type { TemplateValue } from './values.js';

export interface TemplateReference {
  /** Absolute field path, e.g. ['steps', 'fetch', 'output', 'body']. */
  readonly path: readonly string[];
  readonly offset: number;
}

export interface Evaluation {
  readonly text: string;
  /** The action's value when the template is a single action (else undefined; see `single`). */
  readonly value: TemplateValue;
  readonly single: boolean;
}

export class Template {
  readonly source: string;
  readonly #nodes: readonly TemplateNode[];
  readonly #single: Pipeline | undefined;

  private constructor(source: string, nodes: readonly TemplateNode[]) {
    this.source = source;
    this.#nodes = nodes;
    const [only] = nodes;
    this.#single = nodes.length === 1 && only?.kind === 'action' ? only.pipe : undefined;
  }

  /** Throws a TemplateError whose message says where (line and column within the template). */
  static parse(source: string): Template {
    try {
      return new Template(source, parseTemplate(source));
    } catch (e) {
      throw located(e, source);
    }
  }

  /** Plain text with no actions renders as itself; worth skipping the engine for. */
  get isLiteral(): boolean {
    return this.#nodes.every((n) => n.kind === 'text');
  }

  render(context: TemplateValue): string {
    try {
      return execute(this.#nodes, context);
    } catch (e) {
      throw located(e, this.source);
    }
  }

  evaluate(context: TemplateValue): Evaluation {
    if (this.#single === undefined) return { text: this.render(context), value: undefined, single: false };
    try {
      const value = evaluatePipeline(this.#single, context);
      return { text: printValue(value), value, single: true };
    } catch (e) {
      throw located(e, this.source);
    }
  }

  references(): readonly TemplateReference[] {
    const refs: TemplateReference[] = [];
    collectNodes(this.#nodes, refs);
    return refs;
  }

  /** Line and column (1-based) of an offset in the source, for messages. */
  position(offset: number): { line: number; column: number } {
    return positionIn(this.source, offset);
  }
}

function collectNodes(nodes: readonly TemplateNode[], refs: TemplateReference[]): void {
  for (const node of nodes) {
    if (node.kind === 'action') collectPipe(node.pipe, refs);
    else if (node.kind === 'if') {
      for (const branch of node.branches) {
        collectPipe(branch.condition, refs);
        collectNodes(branch.body, refs);
      }
      collectNodes(node.otherwise, refs);
    }
  }
}

function collectPipe(pipe: Pipeline, refs: TemplateReference[]): void {
  for (const command of pipe.commands) {
    const [first, ...rest] = command.operands;
    // `index .steps "my-step" "output"` names a path too (the only way to reach a hyphenated id).
    if (first?.kind === 'function' && first.name === 'index' && rest[0]?.kind === 'field') {
      const keys = leadingStrings(rest.slice(1));
      refs.push({ path: [...rest[0].path, ...keys], offset: rest[0].offset });
      rest.slice(1 + keys.length).forEach((op) => collectOperand(op, refs));
      continue;
    }
    command.operands.forEach((op) => collectOperand(op, refs));
  }
}

function leadingStrings(operands: readonly Operand[]): string[] {
  const keys: string[] = [];
  for (const op of operands) {
    if (op.kind !== 'string') break;
    keys.push(op.value);
  }
  return keys;
}

function collectOperand(op: Operand, refs: TemplateReference[]): void {
  if (op.kind === 'field') refs.push({ path: op.path, offset: op.offset });
  else if (op.kind === 'chain') collectPipe(op.target, refs);
}

function located(e: unknown, source: string): TemplateError {
  if (!(e instanceof TemplateError)) return new TemplateError(e instanceof Error ? e.message : String(e));
  if (e.offset === undefined) return e;
  const { line, column } = positionIn(source, e.offset);
  const where = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return new TemplateError(`${e.message} (at ${where})`, e.offset);
}

function positionIn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
