// Executes a parsed template against a context value. No code is generated or evaluated: the
// tree is walked. Output is bounded (maxOutputBytes, an error naming the limit); recursion is
// bounded by the parser (nesting) and by values.ts (value depth).
import type { Command, Operand, Pipeline, TemplateNode } from './ast.js';
import { byteLength } from './format.js';
import { FUNCTIONS } from './functions.js';
import type { Thunk } from './functions.js';
import { goTypeName, isObject, isTrue, printValue, TemplateError } from './values.js';
import type { TemplateValue } from './values.js';

/** ToolHive's bound on one expansion's output (https://github.com/stacklok/toolhive/tree/main/pkg/vmcp/composer/template_expander.go). */
export const MAX_TEMPLATE_OUTPUT_BYTES = 10 * 1024 * 1024;

export function execute(nodes: readonly TemplateNode[], root: TemplateValue, maxOutputBytes = MAX_TEMPLATE_OUTPUT_BYTES): string {
  const run = new Execution(root, maxOutputBytes);
  run.nodes(nodes);
  return run.output();
}

/** The value of a template that is exactly one action (`{{.steps.a.output.count}}`), unprinted. */
export function evaluatePipeline(pipe: Pipeline, root: TemplateValue): TemplateValue {
  return new Execution(root, MAX_TEMPLATE_OUTPUT_BYTES).pipeline(pipe);
}

class Execution {
  readonly #root: TemplateValue;
  readonly #max: number;
  readonly #out: string[] = [];
  #bytes = 0;

  constructor(root: TemplateValue, maxOutputBytes: number) {
    this.#root = root;
    this.#max = maxOutputBytes;
  }

  output(): string {
    return this.#out.join('');
  }

  #write(text: string): void {
    this.#bytes += byteLength(text);
    if (this.#bytes > this.#max) {
      throw new TemplateError(`template output exceeds the limit of ${this.#max} bytes (${Math.round(this.#max / 1048576)} MB)`);
    }
    this.#out.push(text);
  }

  nodes(nodes: readonly TemplateNode[]): void {
    for (const node of nodes) {
      if (node.kind === 'text') this.#write(node.text);
      else if (node.kind === 'action') this.#write(printValue(this.pipeline(node.pipe)));
      else {
        const branch = node.branches.find((b) => isTrue(this.pipeline(b.condition)));
        this.nodes(branch === undefined ? node.otherwise : branch.body);
      }
    }
  }

  pipeline(pipe: Pipeline): TemplateValue {
    let value: TemplateValue;
    let piped = false;
    for (const command of pipe.commands) {
      value = this.#command(command, piped ? [value] : []);
      // Go unwraps interface{} between commands, so a JSON null becomes "no value" here.
      if (value === null) value = undefined;
      piped = true;
    }
    return value;
  }

  #command(command: Command, final: readonly TemplateValue[]): TemplateValue {
    const [first, ...rest] = command.operands;
    if (first === undefined) throw new TemplateError('missing value for command', command.offset);
    if (first.kind !== 'function') return this.#operand(first);
    const args: Thunk[] = [...rest.map((op) => () => this.#operand(op)), ...final.map((v) => () => v)];
    return this.#call(first.name, args, first.offset);
  }

  #call(name: string, args: readonly Thunk[], offset: number): TemplateValue {
    const fn = FUNCTIONS[name];
    if (fn === undefined) throw new TemplateError(`function "${name}" is not supported`, offset);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const want =
        fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs}-${fn.maxArgs}`;
      throw new TemplateError(`wrong number of args for ${name}: want ${want} got ${args.length}`, offset);
    }
    try {
      return fn.call(args);
    } catch (e) {
      if (e instanceof TemplateError && e.offset === undefined) throw new TemplateError(`error calling ${name}: ${e.message}`, offset);
      throw e;
    }
  }

  #operand(op: Operand): TemplateValue {
    switch (op.kind) {
      case 'field':
        return walk(this.#root, op.path, op.offset);
      case 'chain':
        return walk(this.pipeline(op.target), op.path, op.offset);
      case 'function':
        return this.#call(op.name, [], op.offset);
      default:
        return op.value;
    }
  }
}

/** Go's field evaluation on JSON data: a missing key stays "no value"; a field of nil is an error. */
export function walk(start: TemplateValue, path: readonly string[], offset?: number): TemplateValue {
  let current = start;
  for (const name of path) {
    if (current === undefined) return undefined;
    if (current === null) throw new TemplateError(`nil pointer evaluating interface {}.${name}`, offset);
    if (!isObject(current)) throw new TemplateError(`can't evaluate field ${name} in type ${goTypeName(current)}`, offset);
    current = Object.hasOwn(current, name) ? current[name] : undefined;
  }
  return current;
}
