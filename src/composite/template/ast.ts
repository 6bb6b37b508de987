// The parsed form of a template. There is no `range`/`with`, so dot is always the root context and
// every field path is absolute: `.steps.fetch.output` is ['steps', 'fetch', 'output'].

export type TemplateNode = TextNode | ActionNode | IfNode;

export interface TextNode {
  readonly kind: 'text';
  readonly text: string;
}

export interface ActionNode {
  readonly kind: 'action';
  readonly pipe: Pipeline;
}

export interface IfBranch {
  readonly condition: Pipeline;
  readonly body: readonly TemplateNode[];
}

/** `{{if}} … {{else if}} … {{else}} … {{end}}`: the first true branch runs, else `otherwise`. */
export interface IfNode {
  readonly kind: 'if';
  readonly branches: readonly IfBranch[];
  readonly otherwise: readonly TemplateNode[];
}

export interface Pipeline {
  readonly commands: readonly Command[];
  readonly offset: number;
}

/** A function call (`eq .a 1`) or a single operand (`.a`); piped values become the last argument. */
export interface Command {
  readonly operands: readonly Operand[];
  readonly offset: number;
}

export type Operand =
  /** `.a.b` (path []: the dot itself) and `$.a.b` (the root, which is the dot here). */
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly offset: number }
  /** `(pipeline).a.b`. */
  | { readonly kind: 'chain'; readonly target: Pipeline; readonly path: readonly string[]; readonly offset: number }
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number | bigint; readonly offset: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly offset: number }
  | { readonly kind: 'function'; readonly name: string; readonly offset: number };
